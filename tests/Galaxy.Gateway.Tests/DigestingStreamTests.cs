using System.Security.Cryptography;
using Galaxy.Gateway.Audit;

namespace Galaxy.Gateway.Tests;

/// <summary>An upload's digest is taken as its endpoint reads it, however it reads, and the stream only reads.</summary>
public sealed class DigestingStreamTests
{
    private static readonly byte[] Upload = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 31))];

    [Fact]
    public async Task The_digest_is_the_SHA256_of_every_byte_read_whichever_read_is_used()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));
        var buffer = new byte[4_096];

        var read = stream.Read(buffer, 0, 1_000);
        read += await stream.ReadAsync(buffer, 0, 3_000, CancellationToken.None);
        while (await stream.ReadAsync(buffer.AsMemory()) is var more and > 0)
        {
            read += more;
        }

        Assert.Equal(Upload.Length, read);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Upload)), stream.Digest());
    }

    [Fact]
    public async Task The_digest_covers_only_what_was_read_so_far()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));

        await stream.ReadExactlyAsync(new byte[100]);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Upload.AsSpan(0, 100))), stream.Digest());
    }

    [Fact]
    public void It_reads_forward_only()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(0));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush();
    }
}
