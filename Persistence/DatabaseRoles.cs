namespace Galaxy.Persistence;

/// <summary>
/// The PostgreSQL roles Galaxy's processes connect as (schema 0010, docs/security.md "Database roles"). <c>./galaxy</c>
/// creates them; each process is given a connection string for its own.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Owns the schema and applies migrations; the administrator's door. Never a running process's role.</summary>
    public const string Owner = "galaxy_owner";

    public const string Silo = "galaxy_silo";

    public const string Gateway = "galaxy_gateway";

    /// <summary>The operator's audit commands: reads the chain, adds checkpoints.</summary>
    public const string Auditor = "galaxy_auditor";

    public static readonly string[] All = [Owner, Silo, Gateway, Auditor];
}
