using Galaxy.Testing.Training;

namespace Galaxy.Cluster.Tests;

/// <summary>One silo with one training slot: a second job waits, queued, until the first one ends.</summary>
public sealed class TrainingQueueTests : IAsyncLifetime
{
    private readonly TrainingCluster _cluster = new(silos: 1, new Dictionary<string, string?> { ["Galaxy:Training:MaxConcurrentJobsPerSilo"] = "1" });

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_job_beyond_the_silos_training_slots_waits_queued_until_a_slot_frees()
    {
        var recipe = new TrainingRecipeSpec(
            Hidden: 8, Loss: LossFunction.CrossEntropy, Epochs: 1_000, ValidationFraction: 0.2, LearningRates: [0.02f], Seeds: [1],
            InputNoise: [0f], Mixup: [0f], GradientClip: 5f, FinalLearningRateFraction: 0.05f, StandardizationFloor: 0.2f);
        var model = await _cluster.Data.CreateModelAsync("queued");
        var dataset = await _cluster.Data.RegisterDatasetAsync("queued", TrainingData.BlobsCsv(3, 4, 100));
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await _cluster.Client.GetGrain<ITrainingJobGrain>(first).Submit(TrainingJobTests.Request(model, dataset, recipe));
        await Jobs.WaitUntilAsync(_cluster.Client, first, job => job.EpochsDone >= 1, "the first job training");

        await _cluster.Client.GetGrain<ITrainingJobGrain>(second).Submit(TrainingJobTests.Request(model, dataset, recipe));
        var waiting = await Jobs.WaitUntilAsync(_cluster.Client, first, job => job.EpochsDone >= 5, "the first job five epochs on");
        Assert.Equal(TrainingJobStatus.Running, waiting.Status);
        Assert.Equal(TrainingJobStatus.Queued, (await _cluster.Client.GetGrain<ITrainingJobGrain>(second).GetState()).Status);

        await _cluster.Client.GetGrain<ITrainingJobGrain>(first).Cancel("tester");
        var started = await Jobs.WaitUntilAsync(_cluster.Client, second, job => job.EpochsDone >= 1, "the second job training");
        Assert.Equal(TrainingJobStatus.Running, started.Status);
        await _cluster.Client.GetGrain<ITrainingJobGrain>(second).Cancel("tester");
    }
}
