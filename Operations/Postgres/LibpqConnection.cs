using System.Globalization;
using Npgsql;

namespace Galaxy.Operations.Postgres;

/// <summary>
/// An Npgsql connection string as PostgreSQL's own programs take it: libpq keywords on the command line, the password
/// in <c>PGPASSWORD</c> (never in an argument, where <c>ps</c> would show it).
/// </summary>
public static class LibpqConnection
{
    public static string Keywords(string connectionString, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var parts = new List<string>
        {
            $"host={Quote(builder.Host ?? "127.0.0.1")}",
            $"port={builder.Port.ToString(CultureInfo.InvariantCulture)}",
            $"dbname={Quote(database ?? builder.Database ?? "postgres")}",
        };
        if (!string.IsNullOrEmpty(builder.Username))
        {
            parts.Add($"user={Quote(builder.Username)}");
        }

        return string.Join(' ', parts);
    }

    public static IReadOnlyDictionary<string, string> Environment(string connectionString)
    {
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        return string.IsNullOrEmpty(password) ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PGPASSWORD"] = password };
    }

    /// <summary>A <c>postgresql://</c> URI for psql, password included: for a process's environment or argument the caller controls.</summary>
    public static string Uri(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : System.Uri.EscapeDataString(builder.Username) +
            (string.IsNullOrEmpty(builder.Password) ? "" : ":" + System.Uri.EscapeDataString(builder.Password)) + "@";
        return string.Create(CultureInfo.InvariantCulture,
            $"postgresql://{user}{builder.Host ?? "127.0.0.1"}:{builder.Port}/{System.Uri.EscapeDataString(builder.Database ?? "postgres")}");
    }

    private static string Quote(string value) => $"'{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";
}
