using System.Globalization;
using Galaxy.Kernels;
using Galaxy.Registry.PersonalData;

namespace Galaxy.Registry;

/// <summary>
/// Reads an uploaded CSV into a <see cref="DatasetTable"/> as it streams, and refuses anything that is not one: a header
/// row of distinct names that includes the label column and at most <see cref="MaxFeatures"/> others; then at least one
/// row, each as wide as the header, every field but the label a finite float32 in the invariant culture, every label
/// non-empty. Blank lines may only end the file. A refusal is a <see cref="CsvDatasetException"/> that names the line
/// and column; a file over the byte limit a <see cref="DatasetTooLargeException"/>. Columns that look like personal data
/// (by their name or any value, <see cref="PersonalDataDetector"/>) are refused, masked or allowed by the
/// <see cref="PersonalDataPolicy"/>; refusing is the default.
/// </summary>
public static class CsvDataset
{
    /// <summary>A unit's input is at most this wide (D ≤ 256).</summary>
    public const int MaxFeatures = MlpArchitecture.MaxDimension;

    public static async Task<(DatasetTable Table, long Bytes)> ReadAsync(
        Stream csv, string labelColumn, long maxBytes, CancellationToken cancellationToken, PersonalDataPolicy? personalData = null)
    {
        personalData ??= PersonalDataPolicy.Refuse;
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        using var reader = new CsvRecordReader(csv, maxBytes) { MaxFields = MaxFeatures + 1 };
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new CsvDatasetException(1, null, "the file is empty: a dataset is a header row and at least one data row");
        }

        var columns = ReadHeader(reader, labelColumn);
        var labelIndex = Array.IndexOf(columns, labelColumn);
        reader.ColumnNames = columns;
        reader.MaxFields = columns.Length;

        var rows = new Rows(columns.Length - 1, new PersonalDataColumns(columns, personalData));
        int? blankLine = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsBlank)
            {
                blankLine ??= reader.Line;
                continue;
            }

            if (blankLine is { } blank)
            {
                throw new CsvDatasetException(blank, null, "a blank line between rows (blank lines may only end the file)");
            }

            rows.Add(reader, labelIndex);
        }

        if (rows.Count == 0)
        {
            throw new CsvDatasetException(2, null, "no data rows: the file holds only its header");
        }

        var personal = rows.PersonalData;
        var kept = Enumerable.Range(0, columns.Length).Where(i => i != labelIndex && !personal.IsDropped(i)).ToArray();
        if (kept.Length == 0)
        {
            throw new CsvDatasetException(1, null, "no feature columns are left once the personal data is masked");
        }

        var table = new DatasetTable(
            Guid.Empty, "", reader.Sha256Hex(), labelColumn, kept.Select(i => columns[i]).ToArray(), rows.Count,
            personal.KeepFeatures(rows.Features, labelIndex), personal.Labels(rows.Labels, labelIndex))
        {
            PersonalData = personal.Findings,
        };
        return (table, reader.Bytes);
    }

    private static string[] ReadHeader(CsvRecordReader header, string labelColumn)
    {
        if (header.IsBlank)
        {
            throw new CsvDatasetException(1, null, "the first line is blank: it must be the header row");
        }

        if (header.TooManyFields)
        {
            throw new CsvDatasetException(1, null, $"more than {MaxFeatures} feature columns (a unit's input is at most {MaxFeatures} wide)");
        }

        var columns = new string[header.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = header.Field(i).ToString();
            if (string.IsNullOrWhiteSpace(columns[i]))
            {
                throw new CsvDatasetException(1, header.ColumnOf(i), "an empty column name");
            }

            if (!seen.Add(columns[i]))
            {
                throw new CsvDatasetException(1, columns[i], "a second column with the same name");
            }
        }

        if (!seen.Contains(labelColumn))
        {
            throw new CsvDatasetException(1, labelColumn, "no such column for the label; the header names " + Shown(string.Join(", ", columns)));
        }

        if (columns.Length < 2)
        {
            throw new CsvDatasetException(1, null, "no feature columns: the header names only the label");
        }

        return columns;
    }

    /// <summary>A value as an error message quotes it: short, on one line.</summary>
    private static string Shown(ReadOnlySpan<char> value)
    {
        var text = value.Length <= 40 ? value.ToString() : string.Concat(value[..40], "…");
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    /// <summary>The rows read so far: features row-major, labels as one string per distinct label.</summary>
    private sealed class Rows(int features, PersonalDataColumns personalData)
    {
        public PersonalDataColumns PersonalData => personalData;

        private readonly Dictionary<string, string> _distinctLabels = new(StringComparer.Ordinal);

        public List<float> Features { get; } = new(features * 1_024);

        public List<string> Labels { get; } = new(1_024);

        public int Count => Labels.Count;

        public void Add(CsvRecordReader row, int labelIndex)
        {
            var width = features + 1;
            if (row.TooManyFields)
            {
                throw new CsvDatasetException(row.Line, row.ColumnOf(width), $"more fields than the header's {width}");
            }

            if (row.FieldCount < width)
            {
                throw new CsvDatasetException(
                    row.Line, row.ColumnOf(row.FieldCount), $"missing: the row has {row.FieldCount} fields where the header has {width}");
            }

            for (var i = 0; i < width; i++)
            {
                var field = row.Field(i);
                if (field.Contains('\uFFFD'))
                {
                    throw new CsvDatasetException(row.Line, row.ColumnOf(i), "not valid UTF-8 text");
                }

                if (personalData.Screen(field, row.Line, i))
                {
                    // A masked feature column is dropped at the end; its values are never parsed.
                    if (i != labelIndex)
                    {
                        Features.Add(0);
                        continue;
                    }
                }

                if (i == labelIndex)
                {
                    Labels.Add(Label(field, row, i));
                }
                else
                {
                    Features.Add(Number(field, row, i));
                }
            }
        }

        private string Label(ReadOnlySpan<char> field, CsvRecordReader row, int column)
        {
            if (field.IsWhiteSpace())
            {
                throw new CsvDatasetException(row.Line, row.ColumnOf(column), "an empty label");
            }

            var lookup = _distinctLabels.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(field, out var label))
            {
                label = field.ToString();
                _distinctLabels.Add(label, label);
            }

            return label;
        }

        private static float Number(ReadOnlySpan<char> field, CsvRecordReader row, int column)
        {
            if (field.IsWhiteSpace())
            {
                throw new CsvDatasetException(row.Line, row.ColumnOf(column), "an empty value where a number belongs");
            }

            if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new CsvDatasetException(row.Line, row.ColumnOf(column), $"'{Shown(field)}' is not a number");
            }

            return float.IsFinite(value)
                ? value
                : throw new CsvDatasetException(row.Line, row.ColumnOf(column), $"'{Shown(field)}' is not a finite float32 number");
        }
    }
}
