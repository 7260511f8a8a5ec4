namespace Galaxy.Registry.PersonalData;

/// <summary>
/// One upload's columns under a <see cref="PersonalDataPolicy"/>: which looked like personal data, where first, and what
/// became of them. Refusing throws at the first such field; masking drops feature columns and pseudonymises the label.
/// </summary>
internal sealed class PersonalDataColumns
{
    private readonly string[] _columns;
    private readonly PersonalDataPolicy _policy;
    private readonly bool[] _masked;
    private readonly List<PersonalDataFinding> _findings = [];

    public PersonalDataColumns(string[] columns, PersonalDataPolicy policy)
    {
        _columns = columns;
        _policy = policy;
        _masked = new bool[columns.Length];
        if (policy.Action == PersonalDataAction.Allow)
        {
            return;
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (PersonalDataDetector.IsPersonalName(columns[i]))
            {
                Flag(i, PersonalDataDetector.NamedColumn, 1);
            }
        }
    }

    public IReadOnlyList<PersonalDataFinding> Findings => _findings;

    public bool IsDropped(int column) => _masked[column];

    /// <summary>Whether <paramref name="field"/>'s column is masked (now or before); throws when the policy refuses it.</summary>
    public bool Screen(ReadOnlySpan<char> field, int line, int column)
    {
        if (_masked[column] || _policy.Action == PersonalDataAction.Allow)
        {
            return _masked[column];
        }

        if (PersonalDataDetector.Classify(field) is { } kind)
        {
            Flag(column, kind, line);
        }

        return _masked[column];
    }

    /// <summary>The features without the masked columns, row-major.</summary>
    public float[] KeepFeatures(List<float> features, int labelIndex)
    {
        var width = _columns.Length - 1;
        var keep = Enumerable.Range(0, _columns.Length).Where(i => i != labelIndex).Select(i => !_masked[i]).ToArray();
        var kept = keep.Count(k => k);
        if (kept == width)
        {
            return features.ToArray();
        }

        var rows = features.Count / width;
        var result = new float[rows * kept];
        for (int row = 0, to = 0; row < rows; row++)
        {
            for (var feature = 0; feature < width; feature++)
            {
                if (keep[feature])
                {
                    result[to++] = features[row * width + feature];
                }
            }
        }

        return result;
    }

    /// <summary>The labels, pseudonymised when the label column was masked.</summary>
    public string[] Labels(List<string> labels, int labelIndex) =>
        _masked[labelIndex] ? labels.Select(_policy.Pseudonym).ToArray() : labels.ToArray();

    private void Flag(int column, string kind, int line)
    {
        if (_policy.Action == PersonalDataAction.Refuse)
        {
            throw new PersonalDataException(_columns[column], kind, line);
        }

        _masked[column] = true;
        _findings.Add(new PersonalDataFinding(_columns[column], kind, line, "masked"));
    }
}
