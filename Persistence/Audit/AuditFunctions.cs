using System.Text.RegularExpressions;
using Npgsql;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// The audit chain's database functions and triggers as this build's schema scripts define them. Verification compares
/// them with what the database holds: a function replaced (a verify that always says "intact", an append that writes
/// what it likes) or a trigger disabled is reported, whatever the rows say.
/// </summary>
public static partial class AuditFunctions
{
    private static readonly string[] Triggers = ["galaxy_audit_append_only", "galaxy_audit_no_truncate"];

    /// <summary>Each <c>galaxy_audit…</c> function's body, from the last script that defines it.</summary>
    public static IReadOnlyDictionary<string, string> Expected { get; } = ReadExpected();

    /// <summary>What differs between the database and <see cref="Expected"/>: one sentence per difference, none when it matches.</summary>
    public static async Task<IReadOnlyList<string>> FindChangesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var changes = new List<string>();
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'galaxy\\_audit%' AND pronamespace = 'public'::regnamespace", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                (found.TryGetValue(reader.GetString(0), out var bodies) ? bodies : found[reader.GetString(0)] = []).Add(reader.GetString(1));
            }
        }

        foreach (var (name, body) in Expected)
        {
            if (!found.TryGetValue(name, out var bodies))
            {
                changes.Add($"function {name} is missing");
            }
            else if (bodies.Any(stored => Normalize(stored) != Normalize(body)))
            {
                changes.Add($"function {name} was replaced: its definition is not the one Galaxy's schema installs");
            }
        }

        changes.AddRange(found.Keys.Where(name => !Expected.ContainsKey(name)).Select(name => $"function {name} is not Galaxy's"));

        // The triggers on the table and on each of its partitions (schema 0023): a partition is written directly, too.
        var triggers = new Dictionary<string, Dictionary<string, char>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT c.relname, t.tgname, t.tgenabled
            FROM pg_class c LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal
            WHERE c.oid = to_regclass('galaxy_audit') OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass('galaxy_audit'))
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = triggers.TryGetValue(reader.GetString(0), out var known) ? known : triggers[reader.GetString(0)] = new(StringComparer.Ordinal);
                if (!reader.IsDBNull(1))
                {
                    table[reader.GetString(1)] = reader.GetChar(2);
                }
            }
        }

        foreach (var (table, enabled) in triggers.OrderBy(table => table.Key, StringComparer.Ordinal))
        {
            foreach (var trigger in Triggers)
            {
                if (!enabled.TryGetValue(trigger, out var state))
                {
                    changes.Add($"trigger {trigger} on {table} is missing");
                }
                else if (state != 'O')
                {
                    changes.Add($"trigger {trigger} on {table} is disabled");
                }
            }
        }

        return changes;
    }

    private static Dictionary<string, string> ReadExpected()
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var script in SchemaMigrator.Scripts)
        {
            foreach (Match definition in FunctionDefinition().Matches(script.Sql))
            {
                expected[definition.Groups["name"].Value] = definition.Groups["body"].Value;
            }
        }

        return expected;
    }

    // Line endings are the only difference a checkout may make to a script's text.
    private static string Normalize(string body) => body.Replace("\r\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex(@"CREATE OR REPLACE FUNCTION\s+(?<name>galaxy_audit\w*)\s*\(.*?\$\$(?<body>.*?)\$\$", RegexOptions.Singleline)]
    private static partial Regex FunctionDefinition();
}
