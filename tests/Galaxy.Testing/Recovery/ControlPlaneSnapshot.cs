using System.Globalization;
using System.Text;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Testing.Recovery;

/// <summary>
/// The control plane's part of a recovery drill: a dataset, a model and a short training job made through the gateway
/// before the backup (each audited), and what must come back: the dataset's content hash, the version's weights bit
/// for bit and its lineage to the job, the job's final state.
/// </summary>
public sealed record ControlPlaneSnapshot(string Dataset, string DatasetSha256, string Model, int Version, float[] Weights, Guid JobId, string JobStatus)
{
    private static readonly TimeSpan TrainingBound = TimeSpan.FromSeconds(180);

    public static async Task<ControlPlaneSnapshot> CreateAsync(GalaxyClient client, CancellationToken cancellationToken)
    {
        var name = $"drill-{Guid.NewGuid():N}"[..20];
        var csv = new StringBuilder("f0,f1,f2,f3,label\n");
        var random = new Random(7);
        for (var row = 0; row < 80; row++)
        {
            var label = row % 2;
            csv.AppendLine(CultureInfo.InvariantCulture,
                $"{label + random.NextDouble():F3},{random.NextDouble():F3},{1 - label + random.NextDouble():F3},{random.NextDouble():F3},{(label == 0 ? "a" : "b")}");
        }

        using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var dataset = await client.UploadDatasetAsync(name, "label", file, cancellationToken);
        await client.CreateModelAsync(name, cancellationToken: cancellationToken);
        var job = await StartAsync(
            client, new TrainingJobSpec(name, dataset.Id.ToString(), Hidden: 4, Epochs: 3, Grid: new TrainingGrid(LearningRates: [0.1f], Seeds: [1])),
            cancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!job.IsFinished)
        {
            if (waited.Elapsed > TrainingBound)
            {
                throw new TimeoutException($"The drill's training job {job.Id} did not finish in {TrainingBound.TotalSeconds} s: {job.Status}.");
            }

            await Task.Delay(250, cancellationToken);
            job = await client.GetTrainingJobAsync(job.Id, cancellationToken);
        }

        if (job.Status != "SUCCEEDED" || job.Version is null)
        {
            throw new InvalidOperationException($"The drill's training job ended {job.Status}: {job.Error}");
        }

        var weights = await client.GetWeightsAsync(name, job.Version.Value.ToString(CultureInfo.InvariantCulture), cancellationToken);
        return new ControlPlaneSnapshot(name, dataset.Sha256, name, job.Version.Value, weights.Weights, job.Id, job.Status);
    }

    /// <summary>
    /// Starts the job as a careful client does: a 504 means the start may or may not have taken effect (a cold silo on a
    /// loaded machine can take longer than the gateway waits), so it looks for the model's job before it starts again,
    /// a few times. The model is new, so a job of it is this one.
    /// </summary>
    private static async Task<TrainingJobResponse> StartAsync(GalaxyClient client, TrainingJobSpec spec, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.StartTrainingAsync(spec, cancellationToken);
            }
            catch (GalaxyUnavailableException) when (attempt < Attempts)
            {
                var started = (await client.ListTrainingJobsAsync(model: spec.Model, cancellationToken: cancellationToken)).Items;
                if (started.Length > 0)
                {
                    return await client.GetTrainingJobAsync(started[0].Id, cancellationToken);
                }
            }
        }
    }

    /// <summary>What differs in the restored galaxy; null when everything came back.</summary>
    public async Task<string?> CompareAsync(GalaxyClient client, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var dataset = await client.GetDatasetAsync(Dataset, cancellationToken);
        if (dataset.Sha256 != DatasetSha256)
        {
            problems.Add($"dataset {Dataset}: sha256 {dataset.Sha256}, was {DatasetSha256}");
        }

        var weights = await client.GetWeightsAsync(Model, Version.ToString(CultureInfo.InvariantCulture), cancellationToken);
        if (!weights.Weights.AsSpan().SequenceEqual(Weights))
        {
            problems.Add($"model {Model}:{Version}: weights differ");
        }

        var version = await client.GetVersionAsync(Model, Version.ToString(CultureInfo.InvariantCulture), cancellationToken);
        if (version.Lineage.TrainingJobId != JobId)
        {
            problems.Add($"model {Model}:{Version}: lineage names job {version.Lineage.TrainingJobId}, was {JobId}");
        }

        var job = await client.GetTrainingJobAsync(JobId, cancellationToken);
        if (job.Status != JobStatus)
        {
            problems.Add($"training job {JobId}: {job.Status}, was {JobStatus}");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
