using Galaxy.Grains.Training;
using Galaxy.Kernels;
using Galaxy.Testing.Training;
using Galaxy.Training;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// Kills the silo a training job runs on, mid-training, and holds the job to its promise: it resumes on the surviving
/// silo from its last checkpoint and registers exactly the weights an uninterrupted run of its recipe ends with.
/// </summary>
public sealed class TrainingFailoverTests : IAsyncLifetime
{
    private readonly TrainingCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_job_whose_silo_is_killed_resumes_elsewhere_and_registers_the_weights_of_an_uninterrupted_run()
    {
        // Many short epochs: the job is still training when its silo is killed, whatever the machine's load.
        var recipe = new TrainingRecipeSpec(
            Hidden: 8, Loss: LossFunction.CrossEntropy, Epochs: 300, ValidationFraction: 0.2, LearningRates: [0.01f, 0.03f],
            Seeds: [1, 2], InputNoise: [0.5f], Mixup: [0.4f], GradientClip: 5f, FinalLearningRateFraction: 0.02f, StandardizationFloor: 0.2f);
        var model = await _cluster.Data.CreateModelAsync("blobs-failover");
        var dataset = await _cluster.Data.RegisterDatasetAsync("blobs-failover", TrainingData.BlobsCsv(classes: 3, features: 6, perClass: 40));
        var jobId = Guid.NewGuid();
        await _cluster.Client.GetGrain<ITrainingJobGrain>(jobId).Submit(TrainingJobTests.Request(model, dataset, recipe));

        var running = await Jobs.WaitUntilAsync(_cluster.Client, jobId, job => job.EpochsDone >= 10, "ten epochs done");
        var host = _cluster.Galaxy.Cluster.GetActiveSilos().Single(silo => silo.SiloAddress.ToString() == running.Silo);
        await _cluster.Galaxy.Cluster.KillSiloAsync(host);
        var job = await Jobs.WaitUntilFinishedAsync(_cluster.Client, jobId);

        Assert.Equal(TrainingJobStatus.Succeeded, job.Status);
        Assert.True(job.Resumes >= 1, "the job should have been resumed");
        Assert.NotEqual(running.Silo, job.Silo);
        Assert.Equal(Enumerable.Range(1, 300), job.History.Select(epoch => epoch.Epoch));

        // The same recipe, uninterrupted, in this process.
        var table = (await _cluster.Data.Datasets.LoadAsync(dataset.Id, CancellationToken.None))!;
        var set = TrainingSet.Prepare(LabelledData.FromLabels(table.FeatureNames.Length, table.Features, table.Labels), recipe.ToRecipe());
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = ComputeBackendKind.Simd });
        using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe.ToRecipe());
        EpochReport last = null!;
        while (trainer.EpochsDone < recipe.Epochs)
        {
            last = await trainer.RunEpochAsync();
        }

        Assert.Equal(last.Best, job.BestCandidate);
        Assert.Equal(
            await trainer.WeightsAsync(last.Best),
            await _cluster.Data.Registry.LoadWeightsAsync(model.Id, job.Version!.Value, CancellationToken.None));
    }
}
