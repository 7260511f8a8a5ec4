using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Testing.Training;

namespace Galaxy.Gateway.Tests;

/// <summary>What the training tests create through the API: a separable dataset, a model, small jobs.</summary>
internal static class TrainingRequests
{
    /// <summary>Three classes of 20 rows, features f0…f3; the same content every time, so uploads after the first reuse it.</summary>
    public static readonly string BlobsCsv = TrainingData.BlobsCsv(classes: 3, features: 4, perClass: 20);

    /// <summary>A recipe that trains in a blink: 2 candidates of 4-6-3, a few epochs.</summary>
    public static object TinyJob(string model, string dataset, int epochs = 4) => new
    {
        model, dataset, labelColumn = "label", hidden = 6, epochs,
        grid = new { learningRates = new[] { 0.05f, 0.1f }, seeds = new[] { 1 } },
    };

    /// <summary>A fresh model and the blobs dataset, made by <paramref name="client"/>; returns their names.</summary>
    public static async Task<(string Model, string Dataset)> ModelAndDatasetAsync(HttpClient client, string prefix)
    {
        var model = RegistryRequests.UniqueName(prefix);
        (await client.PostAsJsonAsync("/v1/models", new { name = model })).EnsureSuccessStatusCode();
        var upload = await client.PostAsync("/v1/datasets?name=training-blobs&label=label", RegistryRequests.Csv(BlobsCsv));
        upload.EnsureSuccessStatusCode();
        return (model, (await upload.JsonAsync()).GetProperty("name").GetString()!);
    }

    /// <summary>A dataset that <see cref="RegistryRequests.TinyVersion"/> can score (features a, b; labels no and yes); returns its name.</summary>
    public static async Task<string> YesNoDatasetAsync(HttpClient client)
    {
        var upload = await client.PostAsync("/v1/datasets?name=yes-no&label=label", RegistryRequests.Csv("a,b,label\n1,2,yes\n3,4,no\n"));
        upload.EnsureSuccessStatusCode();
        return (await upload.JsonAsync()).GetProperty("name").GetString()!;
    }

    /// <summary>Starts a tiny job through <paramref name="client"/>; returns its id.</summary>
    public static async Task<string> JobAsync(HttpClient client, string prefix)
    {
        var (model, dataset) = await ModelAndDatasetAsync(client, prefix);
        var response = await client.PostAsJsonAsync("/v1/training/jobs", TinyJob(model, dataset));
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>The job once it has finished, polled through <c>GET /v1/training/jobs/{id}</c>.</summary>
    public static async Task<JsonElement> FinishedAsync(HttpClient client, string jobId)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = await (await client.GetAsync($"/v1/training/jobs/{jobId}")).JsonAsync();
            if (job.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED" or "CANCELLED")
            {
                return job;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"job {jobId} still {job.GetProperty("status")} after 60 s");
            await Task.Delay(100);
        }
    }
}
