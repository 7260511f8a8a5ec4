using System.Collections.Concurrent;
using System.Net.Http.Json;
using Galaxy.Testing.Training;

namespace Galaxy.Gateway.Tests;

/// <summary>What the optimization tests make through the API: a trained 16-8-4 classifier on blobs, and short analyses.</summary>
internal static class OptimizationRequests
{
    public static readonly string Blobs = TrainingData.BlobsCsv(classes: 4, features: 16, perClass: 30, seed: 12);

    private static readonly ConcurrentDictionary<HttpClient, Lazy<Task<(string Model, int Version)>>> Trained = new();

    /// <summary>Training steps of an analysis kept short: a couple of epochs.</summary>
    public static object QuickAnalysis(string model, object? version = null) =>
        new { model, version, fineTuneEpochs = 2, distillEpochs = 2 };

    /// <summary>
    /// One model per gateway fixture whose version 1 was trained by a job (so it has a dataset in its lineage and a
    /// population), made by <paramref name="client"/> on first use; returns its name and that version.
    /// </summary>
    public static Task<(string Model, int Version)> TrainedAsync(HttpClient client) =>
        Trained.GetOrAdd(client, _ => new Lazy<Task<(string, int)>>(() => TrainAsync(client, "optimized"))).Value;

    /// <summary>A fresh model trained by a tiny job on the 16-feature blobs; returns its name and version.</summary>
    public static async Task<(string Model, int Version)> TrainAsync(HttpClient client, string prefix)
    {
        var model = RegistryRequests.UniqueName(prefix);
        (await client.PostAsJsonAsync("/v1/models", new { name = model })).EnsureSuccessStatusCode();
        var upload = await client.PostAsync("/v1/datasets?name=optimization-blobs-16&label=label", RegistryRequests.Csv(Blobs));
        upload.EnsureSuccessStatusCode();
        var dataset = (await upload.JsonAsync()).GetProperty("name").GetString();
        var job = await (await client.PostAsJsonAsync("/v1/training/jobs", new
        {
            model, dataset, hidden = 8, epochs = 15, grid = new { learningRates = new[] { 0.05f }, seeds = new[] { 1, 2 } },
        })).JsonAsync();
        var trained = await TrainingRequests.FinishedAsync(client, job.GetProperty("id").GetString()!);
        Assert.Equal("SUCCEEDED", trained.GetProperty("status").GetString());
        return (model, trained.GetProperty("version").GetInt32());
    }
}
