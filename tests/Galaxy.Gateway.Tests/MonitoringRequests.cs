using System.Text.Json;
using Galaxy.Persistence;
using Galaxy.Registry.Monitoring;
using Npgsql;

namespace Galaxy.Gateway.Tests;

/// <summary>What the monitoring tests need beyond the API: an alert to read and acknowledge, recorded as the silo's monitor records one.</summary>
internal static class MonitoringRequests
{
    /// <summary>A CPU alert on a silo of its own name; returns its id. The running monitor resolves it at its next tick (no such silo reports).</summary>
    public static async Task<Guid> AlertAsync(GalaxyTestCluster galaxy)
    {
        await using var silo = NpgsqlDataSource.Create(galaxy.Database.ConnectionStringAs(DatabaseRoles.Silo));
        var options = new MonitoringOptions();
        var judgement = new Judgement(
            AlertKinds.Cpu, $"silo test-{Guid.NewGuid():N}", null, null, null, true, new Breach(AlertSeverities.Warning, 95, 80, "silo under test: cpu 95 %"));
        var fired = AlertBook.Plan([], [judgement], DateTimeOffset.UtcNow, options).Single();
        Assert.True(await new AlertStore(silo, options, TimeProvider.System).ApplyAsync(fired, CancellationToken.None));
        return fired.Alert.Id;
    }

    /// <summary>The audit rows whose target names <paramref name="subject"/>, oldest first: (principal, action).</summary>
    public static async Task<List<(string? Principal, string? Action)>> AuditAboutAsync(HttpClient auditor, string subject)
    {
        var rows = new List<JsonElement>();
        while (true)
        {
            var after = rows.Count == 0 ? 0 : rows[^1].GetProperty("seq").GetInt64();
            var page = await (await auditor.GetAsync($"/v1/audit?limit=1000&after={after}")).JsonAsync();
            if (page.GetArrayLength() == 0)
            {
                return rows.Where(row => row.GetProperty("target").GetString()!.Contains(subject, StringComparison.Ordinal))
                    .Select(row => (row.GetProperty("principal").GetString(), row.GetProperty("action").GetString()))
                    .ToList();
            }

            rows.AddRange(page.EnumerateArray());
        }
    }
}
