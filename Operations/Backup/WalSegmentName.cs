using System.Globalization;

namespace Galaxy.Operations.Backup;

/// <summary>
/// A WAL segment file's name, <c>TTTTTTTTXXXXXXXXYYYYYYYY</c>: the timeline, then the segment number split into a
/// "log" and a segment within it (<c>4 GiB / segment size</c> segments per log).
/// </summary>
public readonly record struct WalSegmentName(int Timeline, long Segment, long SegmentBytes)
{
    private long SegmentsPerLog => 0x1_0000_0000L / SegmentBytes;

    public static bool TryParse(string fileName, long segmentBytes, out WalSegmentName name)
    {
        name = default;
        if (fileName.Length != 24 || !fileName.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        var timeline = int.Parse(fileName[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var log = long.Parse(fileName[8..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var segment = long.Parse(fileName[16..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        name = new WalSegmentName(timeline, log * (0x1_0000_0000L / segmentBytes) + segment, segmentBytes);
        return true;
    }

    public static WalSegmentName Parse(string fileName, long segmentBytes) =>
        TryParse(fileName, segmentBytes, out var name) ? name : throw new FormatException($"'{fileName}' is not a WAL segment's name.");

    public WalSegmentName Next => this with { Segment = Segment + 1 };

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Timeline:X8}{Segment / SegmentsPerLog:X8}{Segment % SegmentsPerLog:X8}");
}
