namespace Galaxy.Gateway.Tests;

/// <summary>The permission matrix as docs/security.md writes it: one row per endpoint, ✓ or – per principal.</summary>
internal static class WrittenMatrix
{
    public static readonly IReadOnlyList<(string Endpoint, IReadOnlyList<(string Principal, bool Allowed)> Cells)> Rows = Parse();

    private static List<(string, IReadOnlyList<(string, bool)>)> Parse()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "security.md"))
            .SkipWhile(line => !line.StartsWith("<!-- permission-matrix", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        var principals = lines[0][2..];
        return lines.Skip(2)
            .Select(cells => (cells[0].Trim('`'), (IReadOnlyList<(string, bool)>)principals.Select((principal, i) => (principal, cells[i + 2] == "✓")).ToList()))
            .ToList();
    }
}
