namespace Galaxy.Gateway.Tests;

/// <summary>The permission matrix as docs/security.md writes it: one row per endpoint, ✓ or – per principal.</summary>
internal static class WrittenMatrix
{
    // First: static fields initialize in the order written, and the rows below are made from it.
    private static readonly List<string[]> Table = ReadTable();

    public static readonly IReadOnlyList<(string Endpoint, IReadOnlyList<(string Principal, bool Allowed)> Cells)> Rows =
        Table.Skip(2).Select(cells => (cells[0].Trim('`'), Cells(cells))).ToList();

    /// <summary>The rows that name exactly one permission (not "none", "signed in" or two joined by "and").</summary>
    public static readonly IReadOnlyList<(string Permission, IReadOnlyList<(string Principal, bool Allowed)> Cells)> PermissionRows =
        Table.Skip(2).Where(cells => !cells[1].Contains(' ', StringComparison.Ordinal) && cells[1] != "none")
            .Select(cells => (cells[1], Cells(cells))).ToList();

    private static IReadOnlyList<(string, bool)> Cells(string[] cells) =>
        Table[0][2..].Select((principal, i) => (principal, cells[i + 2] == "✓")).ToList();

    private static List<string[]> ReadTable() =>
        File.ReadAllLines(Path.Combine(Repository.Root, "docs", "security.md"))
            .SkipWhile(line => !line.StartsWith("<!-- permission-matrix", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
}
