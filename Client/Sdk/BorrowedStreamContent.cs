using System.Net;
using System.Net.Http.Headers;

namespace Galaxy.Client;

/// <summary>
/// A request body read from the caller's stream, which stays the caller's: <see cref="StreamContent"/> would dispose
/// it with the request. A seekable stream declares its length, so the gateway can refuse an oversized body at once.
/// </summary>
internal sealed class BorrowedStreamContent : HttpContent
{
    private readonly Stream _stream;

    public BorrowedStreamContent(Stream stream, string mediaType)
    {
        _stream = stream;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _stream.CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _stream.CanSeek ? _stream.Length - _stream.Position : 0;
        return _stream.CanSeek;
    }
}
