using System.Globalization;
using Galaxy.Gateway.GraphQL;
using Galaxy.Grains;
using Galaxy.Persistence;
using Galaxy.Registry.Monitoring;
using Npgsql;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// GraphQL's <c>performanceReport</c> reads the performance log, as <c>GET /v1/monitoring/report</c> does: intervals
/// appended as the silos' monitor appends them, in an hour of their own, come back with the REST report's totals,
/// throughput among them, and the silos' peak resource use.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GraphQLPerformanceReportTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_report_has_the_logs_figures_for_the_range_as_REST_has_them()
    {
        var model = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-report");
        var modelId = Guid.Parse((await (await fixture.Http.GetAsync($"/v1/models/{model}")).JsonAsync()).GetProperty("id").GetString()!);
        var from = DateTimeOffset.UtcNow.AddHours(-3).AddMinutes(Random.Shared.Next(0, 50));
        await AppendAsync(modelId, model, from);

        var range = new { from = from.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture), to = from.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture) };
        var answer = await fixture.Http.GraphQLAsync(
            """
            query($from: DateTimeOffset!, $to: DateTimeOffset!) {
              performanceReport(timeRange: { from: $from, to: $to }) {
                coverage versions { version requests errorRate latency accuracy feedback throughput resourceUtilization { cpu memory gpu storage } }
              }
            }
            """, range);
        var rest = await (await fixture.Http.GetAsync(
            $"/v1/monitoring/report?model={model}&from={Uri.EscapeDataString(range.from)}&to={Uri.EscapeDataString(range.to)}")).JsonAsync();
        var outside = await fixture.Http.GraphQLAsync(
            "query($from: DateTimeOffset!, $to: DateTimeOffset!) { performanceReport(timeRange: { from: $from, to: $to }) { versions { version } } }",
            new { from = from.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture), to = from.AddMinutes(20).ToString("O", CultureInfo.InvariantCulture) });

        Assert.Empty(answer.ErrorCodes());
        var report = answer.GetProperty("data").GetProperty("performanceReport");
        Assert.Equal(PerformanceLogReports.Coverage, report.GetProperty("coverage").GetString());
        var version = Assert.Single(report.GetProperty("versions").EnumerateArray(), found => found.GetProperty("version").GetString() == $"{model}:1");
        var total = Assert.Single(rest.GetProperty("versions").EnumerateArray()).GetProperty("total");
        Assert.Equal((150L, 15L), (version.GetProperty("requests").GetInt64(), version.GetProperty("feedback").GetInt64()));
        Assert.Equal(2.0 / 150, version.GetProperty("errorRate").GetDouble(), 6);
        Assert.Equal(13.0 / 15, version.GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(150.0 / 120, version.GetProperty("throughput").GetDouble(), 6);
        Assert.Equal(total.GetProperty("latencyP95Ms").GetDouble(), version.GetProperty("latency").GetDouble());
        Assert.Equal(total.GetProperty("throughputPerSecond").GetDouble(), version.GetProperty("throughput").GetDouble(), 6);
        Assert.InRange(version.GetProperty("latency").GetDouble(), 20, 22);
        var resources = version.GetProperty("resourceUtilization");
        Assert.Equal((42.0, 61.0), (resources.GetProperty("cpu").GetDouble(), resources.GetProperty("memory").GetDouble()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, resources.GetProperty("storage").ValueKind);
        Assert.DoesNotContain(
            outside.GetProperty("data").GetProperty("performanceReport").GetProperty("versions").EnumerateArray(),
            found => found.GetProperty("version").GetString() == $"{model}:1");
    }

    [Fact]
    public async Task A_range_longer_than_RESTs_is_refused_with_its_code()
    {
        var answer = await fixture.Http.GraphQLAsync(
            "{ performanceReport(timeRange: { from: \"2026-01-01T00:00:00Z\", to: \"2026-03-01T00:00:00Z\" }) { coverage } }");

        Assert.Equal(["invalid-input"], answer.ErrorCodes());
    }

    /// <summary>Two minutes of version 1's inference (100 requests at 5 ms, then 50 at 20 ms) and one silo reading, as the monitor logs them.</summary>
    private async Task AppendAsync(Guid modelId, string model, DateTimeOffset from)
    {
        await using var silo = NpgsqlDataSource.Create(fixture.Galaxy.Database.ConnectionStringAs(DatabaseRoles.Silo));
        var log = new PerformanceLog(silo);
        await log.AppendAsync(
            [Interval(modelId, model, from, requests: 100, errors: 2, milliseconds: 5, feedback: 10, correct: 9),
             Interval(modelId, model, from.AddMinutes(1), requests: 50, errors: 0, milliseconds: 20, feedback: 5, correct: 4)],
            [new SiloReading($"silo-{model}", from.AddMinutes(1), 42, 61, null)],
            CancellationToken.None);
    }

    private static VersionInterval Interval(Guid modelId, string model, DateTimeOffset start, long requests, long errors, double milliseconds, long feedback, long correct)
    {
        var latency = new LatencyHistogram();
        for (var i = 0; i < requests; i++)
        {
            latency.Record(milliseconds);
        }

        return new VersionInterval(
            modelId, model, 1, start, start.AddMinutes(1), requests, errors, latency.Percentile(0.5), latency.Percentile(0.95), latency.Percentile(0.99),
            latency.Counts(), feedback, correct);
    }
}
