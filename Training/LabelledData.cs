using System.Globalization;

namespace Galaxy.Training;

/// <summary>
/// A classification dataset in memory: <see cref="Rows"/> rows of <see cref="Features"/> floats (row-major) and each
/// row's class, an index into <see cref="Classes"/> (the distinct labels, in numeric order when every label is a number,
/// else ordinal order; output k of a trained model is class k).
/// </summary>
public sealed class LabelledData
{
    private readonly float[] _values;

    public LabelledData(int features, float[] values, int[] labels, IReadOnlyList<string> classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (values.Length != (long)labels.Length * features)
        {
            throw new ArgumentException($"{labels.Length} rows of {features} features need {(long)labels.Length * features} values, not {values.Length}.");
        }

        if (labels.Any(label => (uint)label >= (uint)classes.Count))
        {
            throw new ArgumentException($"Every label must index one of the {classes.Count} classes.");
        }

        Features = features;
        _values = values;
        Labels = labels;
        Classes = classes;
    }

    public int Features { get; }

    public int Rows => Labels.Length;

    /// <summary>Each row's class index.</summary>
    public int[] Labels { get; }

    public IReadOnlyList<string> Classes { get; }

    public ReadOnlySpan<float> Values => _values;

    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * Features, Features);

    /// <summary>Labels as text (one per row) become class indices; the classes are the distinct labels, sorted.</summary>
    public static LabelledData FromLabels(int features, float[] values, IReadOnlyList<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
        var numeric = distinct.All(label => double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var classes = numeric
            ? distinct.OrderBy(label => double.Parse(label, CultureInfo.InvariantCulture)).ThenBy(label => label, StringComparer.Ordinal).ToArray()
            : distinct.Order(StringComparer.Ordinal).ToArray();
        return WithClasses(features, values, labels, classes);
    }

    /// <summary>
    /// Labels as text become indices into <paramref name="classes"/> (a trained model's), e.g. to evaluate it on other
    /// data. A label the model does not know is an error.
    /// </summary>
    public static LabelledData WithClasses(int features, float[] values, IReadOnlyList<string> labels, IReadOnlyList<string> classes)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < classes.Count; k++)
        {
            index[classes[k]] = k;
        }

        var indices = new int[labels.Count];
        for (var row = 0; row < labels.Count; row++)
        {
            if (!index.TryGetValue(labels[row], out indices[row]))
            {
                throw new UnknownClassException(labels[row], row, classes);
            }
        }

        return new LabelledData(features, values, indices, classes);
    }

    /// <summary>
    /// A deterministic, stratified split: of each class's rows, in file order, the last
    /// <c>⌈n·<paramref name="validationFraction"/>⌉</c> (at least one, while one is left to train on) go to validation.
    /// Taking the tail rather than a random sample keeps rows that sit together in the file (often one writer's, one
    /// session's) on the same side, so the validation figure leans less on near-duplicates of training rows.
    /// </summary>
    public (LabelledData Train, LabelledData Validation) Split(double validationFraction)
    {
        if (!(validationFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in (0, 1).");
        }

        var train = new List<int>(Rows);
        var validation = new List<int>();
        for (var k = 0; k < Classes.Count; k++)
        {
            var rows = Enumerable.Range(0, Rows).Where(row => Labels[row] == k).ToArray();
            var held = rows.Length < 2 ? 0 : Math.Clamp((int)Math.Ceiling(rows.Length * validationFraction), 1, rows.Length - 1);
            train.AddRange(rows[..^held]);
            validation.AddRange(rows[^held..]);
        }

        train.Sort();
        validation.Sort();
        return (Select(train), Select(validation));
    }

    /// <summary>The given rows, in the given order.</summary>
    public LabelledData Select(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Features];
        var labels = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Features, Features));
            labels[i] = Labels[rows[i]];
        }

        return new LabelledData(Features, values, labels, Classes);
    }

    /// <summary>Every row put through <paramref name="standardization"/>.</summary>
    public LabelledData Standardized(Standardization standardization)
    {
        var values = _values.ToArray();
        for (var row = 0; row < Rows; row++)
        {
            standardization.Apply(values.AsSpan(row * Features, Features));
        }

        return new LabelledData(Features, values, Labels, Classes);
    }

    /// <summary>Rows per class, in class order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (var label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }
}

/// <summary>A row's label is not one of the model's classes.</summary>
public sealed class UnknownClassException(string label, int row, IReadOnlyList<string> classes)
    : Exception($"Row {row + 1} has the label '{label}', which is not one of the model's classes ({string.Join(", ", classes)}).")
{
    public string Label { get; } = label;

    public int Row { get; } = row;
}
