using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Galaxy.Bench;

/// <summary>
/// Collects one benchmark's figures, prints each as a machine-readable <c>RESULT {json}</c> line the moment it is
/// measured, and a summary table at the end.
/// </summary>
public sealed class BenchReport(string benchmark)
{
    private readonly List<(string Name, double Value, string Unit, string Note)> _figures = [];

    public void Record(string name, double value, string unit, string note = "")
    {
        _figures.Add((name, value, unit, note));
        var line = JsonSerializer.Serialize(new { name, value = Math.Round(value, 6), unit });
        Console.Out.WriteLine($"RESULT {line}");
        Console.Out.Flush();
    }

    /// <summary>A figure recorded earlier in this run, for ratios between phases.</summary>
    public double Value(string name) => _figures.Last(figure => figure.Name == name).Value;

    public void PrintSummary()
    {
        var table = new Table().Title($"[bold]galaxy bench {benchmark}[/]").AddColumns("figure", "value", "unit", "note");
        foreach (var (name, value, unit, note) in _figures)
        {
            table.AddRow(
                Markup.Escape(name),
                value.ToString(value >= 100 ? "N0" : "G4", CultureInfo.InvariantCulture),
                Markup.Escape(unit),
                Markup.Escape(note));
        }

        AnsiConsole.Write(table);
    }
}

/// <summary>One benchmark that <c>./galaxy bench NAME</c> can run.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken);
}

/// <summary>A benchmark's <c>--name value</c> options.</summary>
public static class BenchArguments
{
    public static int Option(IReadOnlyList<string> args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);
}
