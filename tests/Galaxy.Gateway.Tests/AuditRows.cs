using Npgsql;

namespace Galaxy.Gateway.Tests;

/// <summary>The audit rows of one action whose target starts with a prefix, oldest first, read straight from the test database.</summary>
internal static class AuditRows
{
    public static async Task<List<(string Principal, string Target, int Outcome, string Digest)>> ReadAsync(
        GatewayFixture fixture, string action, string targetPrefix)
    {
        await using var connection = new NpgsqlConnection(fixture.Galaxy.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT principal, target, outcome, request_digest FROM galaxy_audit WHERE action = $1 AND starts_with(target, $2) ORDER BY seq",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        command.Parameters.Add(new NpgsqlParameter { Value = targetPrefix });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, int, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
        }

        return rows;
    }
}
