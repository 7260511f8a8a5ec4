using System.Globalization;

namespace Galaxy.Testing;

/// <summary>A scrape in Prometheus's text format, read as a Prometheus server would: one sample a line.</summary>
public sealed class PrometheusScrape(string text)
{
    public string Text { get; } = text;

    /// <summary>Whether any sample of the series named <paramref name="name"/> (its full name, suffixes included) is there.</summary>
    public bool Has(string name) => Samples(name, null).Any();

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/> (<c>http_route="/metrics"</c>).</summary>
    public double Sum(string name, params string[] labels) => Samples(name, labels).Sum();

    private IEnumerable<double> Samples(string name, string[]? labels)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length
                || (line[name.Length] != '{' && line[name.Length] != ' '))
            {
                continue;
            }

            var labelsEnd = line[name.Length] == '{' ? line.LastIndexOf('}') : name.Length;
            var labelText = line[name.Length..labelsEnd];
            if (labels is not null && !labels.All(label => labelText.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }

            var value = line[(labelsEnd + 1)..].Trim().Split(' ')[0];
            yield return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }
}
