using System.Security.Cryptography;
using Galaxy.Gateway.Audit;

namespace Galaxy.Gateway.Tests;

/// <summary>The audited upload's digest is the SHA-256 of exactly the bytes its endpoint read, by whichever read call.</summary>
public sealed class DigestingStreamTests
{
    private static readonly byte[] Upload = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 31)).ToArray();

    [Fact]
    public async Task Reading_the_whole_body_asynchronously_digests_all_of_it()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));

        await stream.CopyToAsync(Stream.Null);

        Assert.Equal(Sha256(Upload), stream.Digest());
    }

    [Fact]
    public void Reading_synchronously_in_pieces_digests_the_pieces_read_and_nothing_more()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));
        var buffer = new byte[4_096];

        var first = stream.Read(buffer, 0, 1_000);
        var second = stream.Read(buffer, 1_000, 500);

        Assert.Equal((1_000, 500), (first, second));
        Assert.Equal(Sha256(Upload[..1_500]), stream.Digest());
    }

    [Fact]
    public async Task The_array_overload_of_ReadAsync_digests_what_it_read()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));
        var buffer = new byte[300];

        var read = await stream.ReadAsync(buffer, 100, 200, CancellationToken.None);

        Assert.Equal(200, read);
        Assert.Equal(Sha256(Upload[..200]), stream.Digest());
    }

    [Fact]
    public void It_is_a_forward_only_read_only_stream()
    {
        using var stream = new DigestingStream(new MemoryStream(Upload));

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write(Upload, 0, 1));
        stream.Flush();
        Assert.Equal(Sha256([]), stream.Digest());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
