using System.Net;
using System.Text;

namespace Galaxy.Client.Tests;

/// <summary>Uploads stream the caller's CSV, leave the stream open, and are retried only when the stream can be replayed.</summary>
public sealed class DatasetUploadTests
{
    private const string Csv = "a,label\n1,x\n";
    private const string DatasetJson = """
        {"id":"0196a0e4-0000-7000-8000-000000000001","name":"d","sha256":"00","labelColumn":"label","featureNames":["a"],
         "rows":1,"bytes":12,"classCounts":{"x":1},"createdBy":"lead","createdAt":"2025-01-01T00:00:00Z"}
        """;

    [Fact]
    public async Task A_seekable_stream_is_sent_whole_again_after_a_429_and_stays_open()
    {
        var gateway = new ScriptedGateway(
            () => ScriptedGateway.Problem(HttpStatusCode.TooManyRequests, "rate-limited", TimeSpan.Zero),
            () => ScriptedGateway.Json(HttpStatusCode.Created, DatasetJson));
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes("ignored prefix\n" + Csv));
        csv.Position = "ignored prefix\n".Length;

        var dataset = await gateway.Client().UploadDatasetAsync("d", "label", csv);

        Assert.Equal(1, dataset.Rows);
        Assert.Equal([Csv, Csv], gateway.Bodies);
        Assert.Equal("text/csv", gateway.Requests[0].Content!.Headers.ContentType!.MediaType);
        Assert.Equal("/v1/datasets?name=d&label=label", gateway.Requests[0].RequestUri!.PathAndQuery);
        Assert.True(csv.CanRead);
    }

    [Fact]
    public async Task A_stream_that_cannot_rewind_is_sent_once()
    {
        var gateway = new ScriptedGateway(() => ScriptedGateway.Problem(HttpStatusCode.TooManyRequests, "rate-limited", TimeSpan.Zero));
        using var csv = new ForwardOnlyStream(Encoding.UTF8.GetBytes(Csv));

        var refused = await Assert.ThrowsAsync<GalaxyUnavailableException>(() => gateway.Client().UploadDatasetAsync("d", "label", csv));

        Assert.Equal("rate-limited", refused.Code);
        Assert.Single(gateway.Requests);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
