using System.Security.Cryptography;
using System.Text;

namespace Galaxy.Registry.Tests;

/// <summary>
/// The dataset validation corpus: files that are refused, each at the line and column a person would fix, and files
/// in the shapes CSV comes in that are read exactly.
/// </summary>
public sealed class CsvDatasetCorpusTests
{
    private static readonly string TooWide = string.Join(',', Enumerable.Range(0, 257).Select(i => $"f{i}")) + ",label\n"
        + string.Join(',', Enumerable.Repeat("0", 257)) + ",x\n";

    private static readonly string WidestAllowed = string.Join(',', Enumerable.Range(0, 256).Select(i => $"f{i}")) + ",label\n"
        + string.Join(',', Enumerable.Repeat("0.5", 256)) + ",x\n";

    public static TheoryData<string, string, int, string?> Refused() => new()
    {
        { "empty file", "", 1, null },
        { "blank first line", "\na,b,label\n1,2,x\n", 1, null },
        { "header only", "a,b,label\n", 2, null },
        { "header only, no line break", "a,b,label", 2, null },
        { "header only, then blank lines", "a,b,label\n\n\n", 2, null },
        { "no label column", "a,b,c\n1,2,3\n", 1, "label" },
        { "only the label column", "label\nx\n", 1, null },
        { "duplicate column names", "a,a,label\n1,2,x\n", 1, "a" },
        { "empty column name", "a,,label\n1,2,x\n", 1, "2" },
        { "over 256 features", TooWide, 1, null },
        { "non-numeric feature", "a,b,label\n1,2,x\n1,oops,y\n", 3, "b" },
        { "thousands separator", "a,b,label\n\"1,000\",2,x\n", 2, "a" },
        { "NaN", "a,b,label\n1,NaN,x\n", 2, "b" },
        { "Infinity", "a,b,label\nInfinity,1,x\n", 2, "a" },
        { "-Infinity", "a,b,label\n1,-Infinity,x\n", 2, "b" },
        { "beyond float32", "a,b,label\n1e39,1,x\n", 2, "a" },
        { "empty feature value", "a,b,label\n1,,x\n", 2, "b" },
        { "empty label", "a,b,label\n1,2,\n", 2, "label" },
        { "too few fields", "a,b,label\n1,2,x\n3,4\n", 3, "label" },
        { "too many fields", "a,b,label\n1,2,x,5\n", 2, "4" },
        { "far too many fields", "a,b,label\n1,2,x,5,6,7,8\n", 2, "4" },
        { "blank line between rows", "a,b,label\n1,2,x\n\n3,4,y\n", 3, null },
        { "unclosed quote", "a,b,label\n1,2,\"x\n", 2, "label" },
        { "quote inside an unquoted field", "a,b,label\n1,2,x\"y\n", 2, "label" },
        { "text after a closing quote", "a,b,label\n1,2,\"x\"y\n", 2, "label" },
        { "carriage return alone", "a,b,label\r1,2,x\n", 1, null },
        { "line counted past a quoted line break", "a,label\n1,\"two\nlines\"\n2,\n", 4, "label" },
        { "field over 1,024 characters", "a,label\n1," + new string('x', 1_025) + "\n", 2, "label" },
    };

    public static TheoryData<string, string, string[], float[], string[]> Accepted() => new()
    {
        { "plain", "a,b,label\n1,2,x\n3,4,y\n", ["a", "b"], [1, 2, 3, 4], ["x", "y"] },
        { "CRLF", "a,b,label\r\n1,2,x\r\n3,4,y\r\n", ["a", "b"], [1, 2, 3, 4], ["x", "y"] },
        { "byte-order mark", "\uFEFFa,b,label\n1,2,x\n", ["a", "b"], [1, 2], ["x"] },
        { "no final line break", "a,b,label\n1,2,x", ["a", "b"], [1, 2], ["x"] },
        { "blank trailing line", "a,b,label\n1,2,x\n\n", ["a", "b"], [1, 2], ["x"] },
        { "blank trailing CRLF lines", "a,b,label\r\n1,2,x\r\n\r\n\r\n", ["a", "b"], [1, 2], ["x"] },
        { "quoted labels", "a,label\n1,\"x, with a comma\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n", ["a"], [1, 2, 3], ["x, with a comma", "say \"hi\"", "two\nlines"] },
        { "quoted numbers and names", "\"a\",\"label\"\n\"1.5\",x\n", ["a"], [1.5f], ["x"] },
        { "label in the middle", "a,label,b\n1,x,2\n3,y,4\n", ["a", "b"], [1, 2, 3, 4], ["x", "y"] },
        { "signs, exponents, spaces", "a,b,label\n-1.5e-3, +2 ,x\n", ["a", "b"], [-1.5e-3f, 2], ["x"] },
        { "UTF-8 labels", "a,label\n1,café\n2,猫\n", ["a"], [1, 2], ["café", "猫"] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_file_is_refused_at_its_line_and_column(string why, string csv, int line, string? column)
    {
        var refused = await Assert.ThrowsAsync<CsvDatasetException>(() => ReadAsync(Encoding.UTF8.GetBytes(csv)));

        Assert.True((line, column) == (refused.Line, refused.Column), $"{why}: {refused.Message}");
        Assert.StartsWith($"Line {line}", refused.Message, StringComparison.Ordinal);
        if (column is not null)
        {
            Assert.Contains($"column '{column}'", refused.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task A_good_file_is_read_exactly(string why, string csv, string[] features, float[] values, string[] labels)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);

        var (table, length) = await ReadAsync(bytes);

        Assert.True(features.SequenceEqual(table.FeatureNames), why);
        Assert.Equal(values, table.Features);
        Assert.Equal(labels, table.Labels);
        Assert.Equal(labels.Length, table.Rows);
        Assert.Equal("label", table.LabelColumn);
        Assert.Equal(bytes.Length, length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), table.Sha256);
    }

    [Fact]
    public async Task Invalid_UTF8_is_refused_where_it_is()
    {
        var bytes = Encoding.UTF8.GetBytes("a,label\n1,x\n2,?\n").ToArray();
        bytes[^2] = 0xFF;

        var refused = await Assert.ThrowsAsync<CsvDatasetException>(() => ReadAsync(bytes));

        Assert.Equal((3, "label"), (refused.Line, refused.Column));
    }

    [Fact]
    public async Task Two_hundred_fifty_six_features_are_the_most()
    {
        var (table, _) = await ReadAsync(Encoding.UTF8.GetBytes(WidestAllowed));

        Assert.Equal(256, table.FeatureNames.Length);
    }

    [Fact]
    public async Task A_file_over_the_byte_limit_is_refused_and_one_at_the_limit_read()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b,label\n" + string.Concat(Enumerable.Repeat("1,2,x\n", 1_000)));

        var tooLarge = await Assert.ThrowsAsync<DatasetTooLargeException>(() => ReadAsync(bytes, bytes.Length - 1));
        var (table, length) = await ReadAsync(bytes, bytes.Length);

        Assert.Equal(bytes.Length - 1, tooLarge.MaxBytes);
        Assert.Equal((1_000, bytes.Length), (table.Rows, length));
    }

    [Fact]
    public async Task A_stream_that_trickles_a_byte_at_a_time_reads_the_same()
    {
        var bytes = Encoding.UTF8.GetBytes("\uFEFFa,label\r\n1.25,\"café\r\nau lait\"\r\n2,猫\r\n");

        var (table, length) = await CsvDataset.ReadAsync(new TricklingStream(bytes), "label", 1 << 20, CancellationToken.None);

        Assert.Equal([1.25f, 2f], table.Features);
        Assert.Equal(["café\r\nau lait", "猫"], table.Labels);
        Assert.Equal(bytes.Length, length);
    }

    private static Task<(DatasetTable Table, long Bytes)> ReadAsync(byte[] bytes, long maxBytes = 1 << 20) =>
        CsvDataset.ReadAsync(new MemoryStream(bytes), "label", maxBytes, CancellationToken.None);

    /// <summary>A network body at its worst: one byte per read, splitting every multi-byte character and CRLF.</summary>
    private sealed class TricklingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
