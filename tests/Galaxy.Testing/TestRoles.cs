using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Testing;

/// <summary>
/// Galaxy's database roles for tests. <c>./galaxy test</c> creates them as login roles; a server that lacks them (a
/// drill's private one) gets them here, without login. Tests connect as the superuser and take a role for the session
/// (<c>Options=-c role=…</c>), so privileges are checked exactly as for a process that logs in as that role.
/// </summary>
public static class TestRoles
{
    /// <summary>Creates whichever of <see cref="DatabaseRoles.All"/> the server lacks; safe to run from many tests at once.</summary>
    public static async Task EnsureAsync(string superuserConnectionString)
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        foreach (var role in DatabaseRoles.All)
        {
            await using var create = new NpgsqlCommand($"""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$
                """, connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    /// <summary><paramref name="connectionString"/> (a superuser's) acting as <paramref name="role"/> for every session.</summary>
    public static string As(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Options = $"-c role={role}" }.ConnectionString;
}
