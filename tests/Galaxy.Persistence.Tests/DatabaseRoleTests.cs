using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// Least privilege (schema 0010): the roles Galaxy's processes connect as cannot touch the audit chain but through its
/// append function, cannot disable its triggers, alter, drop or truncate it or its partitions (schema 0023; the
/// statements name the month's partition as <c>{partition}</c>), replace its functions or create objects, and are no
/// superusers; they can append.
/// </summary>
public sealed class DatabaseRoleTests : IAsyncLifetime
{
    private static readonly string[] RuntimeRoles = [DatabaseRoles.Silo, DatabaseRoles.Gateway, DatabaseRoles.Auditor];

    private readonly TestDatabase _database = new();

    public static TheoryData<string, string> Refusals()
    {
        string[] statements =
        [
            "ALTER TABLE galaxy_audit DISABLE TRIGGER USER",
            "ALTER TABLE galaxy_audit DISABLE TRIGGER galaxy_audit_append_only",
            "ALTER TABLE galaxy_audit ADD COLUMN note text",
            "DROP TABLE galaxy_audit CASCADE",
            "TRUNCATE galaxy_audit",
            "UPDATE galaxy_audit SET principal = 'mallory' WHERE seq = 1",
            "DELETE FROM galaxy_audit WHERE seq = 1",
            "INSERT INTO galaxy_audit VALUES (2, now(), 'mallory', 'x', 'x', 0, 'x', '\\x'::bytea, '\\x'::bytea)",
            "ALTER TABLE {partition} DISABLE TRIGGER USER",
            "UPDATE {partition} SET principal = 'mallory' WHERE seq = 1",
            "DELETE FROM {partition}",
            "TRUNCATE {partition}",
            "DROP TABLE {partition}",
            "ALTER TABLE galaxy_audit DETACH PARTITION {partition}",
            "INSERT INTO {partition} SELECT * FROM {partition}",
            "SELECT galaxy_audit_partition('2030-01-01')",
            "UPDATE galaxy_audit_head SET seq = 0",
            "DELETE FROM galaxy_audit_checkpoints",
            "ALTER TABLE galaxy_audit_checkpoints DISABLE TRIGGER USER",
            "CREATE OR REPLACE FUNCTION galaxy_audit_verify() RETURNS TABLE (rows_checked bigint, broken_seq bigint, reason text) LANGUAGE sql AS $$ SELECT 0::bigint, NULL::bigint, NULL::text $$",
            "ALTER FUNCTION galaxy_audit_append(timestamptz, text, text, text, integer, text, text) SECURITY INVOKER",
            "CREATE TABLE shadow_audit (seq bigint)",
            "DROP TABLE OrleansStorage",
            "ALTER ROLE CURRENT_USER SUPERUSER",
        ];
        var cases = new TheoryData<string, string>();
        foreach (var role in RuntimeRoles)
        {
            foreach (var statement in statements)
            {
                cases.Add(role, statement);
            }
        }

        return cases;
    }

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await ExecuteAsync(DatabaseRoles.Gateway, "SELECT galaxy_audit_append(now(), 'alice', 'unit.learn', '/v1/units/1/learn', 200, 'digest')");
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_runtime_role_is_refused(string role, string statement)
    {
        var partition = await _database.ScalarAsync<string>("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'galaxy_audit'::regclass");

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(role, statement.Replace("{partition}", partition, StringComparison.Ordinal)));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refusal.SqlState);
    }

    [Theory]
    [InlineData(DatabaseRoles.Silo)]
    [InlineData(DatabaseRoles.Gateway)]
    public async Task Processes_append_through_the_function_alone(string role)
    {
        await ExecuteAsync(role, "SELECT galaxy_audit_append(now(), 'bob', 'unit.reset', '/v1/units/2/reset', 200, 'digest')");

        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT seq FROM galaxy_audit_head"));
    }

    [Fact]
    public async Task The_auditor_reads_but_cannot_append()
    {
        await ExecuteAsync(DatabaseRoles.Auditor, "SELECT count(*) FROM galaxy_audit");

        var refusal = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(DatabaseRoles.Auditor, "SELECT galaxy_audit_append(now(), 'eve', 'x', 'x', 0, 'x')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refusal.SqlState);
    }

    [Fact]
    public async Task The_schema_belongs_to_the_owner_and_no_runtime_role_owns_anything_or_is_a_superuser()
    {
        var owners = await _database.ScalarAsync<string[]>(
            "SELECT array_agg(DISTINCT tableowner) FROM pg_tables WHERE schemaname = 'public'");
        var privileged = await _database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_roles WHERE rolname = ANY($1) AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)",
            (object)RuntimeRoles);

        Assert.Equal([DatabaseRoles.Owner], owners!);
        Assert.Equal(0, privileged);
    }

    private async Task ExecuteAsync(string role, string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionStringAs(role));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
