using System.Diagnostics;
using Galaxy.Registry;
using Galaxy.Testing.Training;

namespace Galaxy.Cluster.Tests;

/// <summary>
/// A galaxy (two silos unless told otherwise) whose jobs checkpoint every epoch and whose silos look for orphaned jobs
/// every second, with the registry's stores on its database.
/// </summary>
public sealed class TrainingCluster : IAsyncLifetime
{
    public TrainingCluster()
        : this(silos: 2, new Dictionary<string, string?>())
    {
    }

    internal TrainingCluster(int silos, IReadOnlyDictionary<string, string?> settings) => Galaxy = new()
    {
        InitialSilos = silos,
        Settings = new Dictionary<string, string?>(settings)
        {
            ["Galaxy:Training:CheckpointIntervalSeconds"] = "0",
            ["Galaxy:Training:ResumeCheckSeconds"] = "1",
        },
    };

    public GalaxyTestCluster Galaxy { get; }

    public IClusterClient Client => Galaxy.Client;

    public TrainingData Data { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Galaxy.InitializeAsync();
        Data = new TrainingData(Galaxy.Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Data.DisposeAsync();
        await Galaxy.DisposeAsync();
    }
}

public sealed class TrainingJobTests(TrainingCluster cluster) : IClassFixture<TrainingCluster>
{
    private static readonly TrainingRecipeSpec SmallRecipe = new(
        Hidden: 8, Loss: LossFunction.CrossEntropy, Epochs: 15, ValidationFraction: 0.2, LearningRates: [0.02f, 0.05f], Seeds: [1, 2],
        InputNoise: [0.1f], Mixup: [0f], GradientClip: 5f, FinalLearningRateFraction: 0.05f, StandardizationFloor: 0.2f);

    private IClusterClient Client => cluster.Galaxy.Client;

    [Fact]
    public async Task A_job_trains_its_population_and_registers_the_best_candidate_as_a_pending_version_with_its_lineage()
    {
        var (model, dataset) = await RegisterAsync("blobs-a", TrainingData.BlobsCsv(classes: 3, features: 4, perClass: 30));
        var jobId = Guid.NewGuid();

        var submitted = await Client.GetGrain<ITrainingJobGrain>(jobId).Submit(Request(model, dataset, SmallRecipe));
        var job = await Jobs.WaitUntilFinishedAsync(Client, jobId);

        Assert.Equal(TrainingJobStatus.Queued, submitted.Status);
        Assert.Equal(TrainingJobStatus.Succeeded, job.Status);
        Assert.Equal(15, job.EpochsDone);
        Assert.Equal(Enumerable.Range(1, 15), job.History.Select(epoch => epoch.Epoch));
        Assert.Equal(4, job.Candidates.Count);
        Assert.Equal(1.0, job.Progress);
        Assert.True(job.DeviceSeconds > 0 && job.CostUsd > 0);
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.EndedAt);

        var version = await cluster.Data.Registry.FindVersionAsync(model.Id, job.Version!.Value.ToString(), CancellationToken.None);
        Assert.NotNull(version);
        Assert.Equal(VersionStatus.Pending, version.Status);
        Assert.Equal((4, 8, 3), (version.Inputs, version.Hidden, version.Outputs));
        Assert.Equal(["c0", "c1", "c2"], version.Classes);
        Assert.Equal(new VersionLineage(jobId, dataset.Id, dataset.Sha256, null, "trained"), version.Lineage);
        Assert.Equal(job.Candidates[job.BestCandidate!.Value].ValidationAccuracy, version.Metrics["validation_accuracy"]);
        Assert.True(version.Metrics["validation_accuracy"] >= 0.95, $"validation accuracy {version.Metrics["validation_accuracy"]}");

        var row = (await cluster.Data.Jobs.ListAsync("SUCCEEDED", model.Id, 0, 10, CancellationToken.None)).Items.Single();
        Assert.Equal((jobId, job.Version), (row.JobId, row.Version));
        Assert.Null(await cluster.Galaxy.Database.ScalarAsync<object>("SELECT job_id FROM galaxy_training_checkpoints WHERE job_id = $1", jobId));

        // The population stays, for an ensemble teacher: every candidate's final weights and accuracy.
        var (parameters, accuracy) = (await cluster.Data.Jobs.LoadPopulationAsync(jobId, CancellationToken.None))!.Value;
        Assert.Equal(job.Candidates.Select(candidate => candidate.ValidationAccuracy), accuracy);
        var p = new Kernels.MlpArchitecture(4, 8, 3).ParameterCount;
        Assert.Equal(4 * p, parameters.Length);
        Assert.Equal(
            await cluster.Data.Registry.LoadWeightsAsync(model.Id, job.Version.Value, CancellationToken.None),
            parameters.AsSpan(job.BestCandidate.Value * p, p).ToArray());
    }

    [Fact]
    public async Task Submitting_again_to_the_same_job_changes_nothing_and_an_invalid_recipe_is_refused()
    {
        var (model, dataset) = await RegisterAsync("blobs-b", TrainingData.BlobsCsv(3, 4, 20, seed: 4));
        var grain = Client.GetGrain<ITrainingJobGrain>(Guid.NewGuid());

        var refused = await Assert.ThrowsAsync<InvalidTrainingRequestException>(() =>
            grain.Submit(Request(model, dataset, SmallRecipe with { Epochs = 0, LearningRates = [float.NaN] })));
        Assert.Contains("epochs", refused.Message, StringComparison.Ordinal);
        Assert.Contains("learningRates", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TrainingJobNotFoundException>(() => grain.GetState());

        var first = await grain.Submit(Request(model, dataset, SmallRecipe));
        var again = await grain.Submit(Request(model, dataset, SmallRecipe with { Epochs = 3 }));
        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Equal(15, (await Jobs.WaitUntilFinishedAsync(Client, grain.GetPrimaryKey())).EpochsDone);
    }

    [Fact]
    public async Task A_cancelled_job_stops_and_registers_nothing()
    {
        var (model, dataset) = await RegisterAsync("blobs-c", TrainingData.BlobsCsv(3, 4, 200, seed: 5));
        var jobId = Guid.NewGuid();
        var grain = Client.GetGrain<ITrainingJobGrain>(jobId);
        await grain.Submit(Request(model, dataset, SmallRecipe with { Epochs = 1_000 }));
        await Jobs.WaitUntilAsync(Client, jobId, job => job.EpochsDone >= 2, "two epochs done");

        var cancelled = await grain.Cancel("canceller");

        Assert.Equal(TrainingJobStatus.Cancelled, cancelled.Status);
        Assert.Equal("canceller", cancelled.CancelledBy);
        Assert.Null(cancelled.Version);
        Assert.True(cancelled.EpochsDone < 1_000);
        Assert.Equal(TrainingJobStatus.Cancelled, (await grain.Cancel("again")).Status);
        Assert.Equal(0L, await cluster.Galaxy.Database.ScalarAsync<long>("SELECT count(*) FROM galaxy_model_versions WHERE model_id = $1", model.Id));
    }

    [Fact]
    public async Task A_job_on_data_it_cannot_train_on_fails_with_the_reason()
    {
        // One class: nothing to tell apart.
        var (model, dataset) = await RegisterAsync("one-class", "a,b,label\n1,2,x\n3,4,x\n5,6,x\n");
        var jobId = Guid.NewGuid();

        await Client.GetGrain<ITrainingJobGrain>(jobId).Submit(Request(model, dataset, SmallRecipe));
        var job = await Jobs.WaitUntilFinishedAsync(Client, jobId);

        Assert.Equal(TrainingJobStatus.Failed, job.Status);
        Assert.Contains("1 classes", job.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluating_a_version_scores_every_row_and_records_the_result_on_the_version()
    {
        var csv = TrainingData.BlobsCsv(3, 4, 30, seed: 6);
        var (model, dataset) = await RegisterAsync("blobs-e", csv);
        var jobId = Guid.NewGuid();
        await Client.GetGrain<ITrainingJobGrain>(jobId).Submit(Request(model, dataset, SmallRecipe));
        var version = (await Jobs.WaitUntilFinishedAsync(Client, jobId)).Version!.Value;

        var evaluation = await Client.GetGrain<IModelEvaluationGrain>(0).Evaluate(model.Id, version, dataset.Id, "evaluator");

        Assert.Equal(90, evaluation.Rows);
        Assert.Equal(90, evaluation.Confusion.Sum(row => row.Sum()));
        Assert.Equal(evaluation.Confusion.Select((row, k) => row[k]).Sum() / 90.0, evaluation.Accuracy, 12);
        Assert.Equal(["c0", "c1", "c2"], evaluation.PerClass.Select(c => c.Class));
        var recorded = Assert.Single(await cluster.Data.Registry.ListEvaluationsAsync(model.Id, version, CancellationToken.None));
        Assert.Equal((evaluation.Accuracy, "evaluator"), (recorded.Accuracy, recorded.EvaluatedBy));

        var unknownLabel = await cluster.Data.RegisterDatasetAsync("blobs-e-other", "f0,f1,f2,f3,label\n1,2,3,4,c9\n");
        var refused = await Assert.ThrowsAsync<InvalidEvaluationException>(() =>
            Client.GetGrain<IModelEvaluationGrain>(0).Evaluate(model.Id, version, unknownLabel.Id, "evaluator"));
        Assert.Contains("'c9'", refused.Message, StringComparison.Ordinal);
    }

    private async Task<(ModelInfo Model, DatasetInfo Dataset)> RegisterAsync(string name, string csv) =>
        (await cluster.Data.CreateModelAsync(name), await cluster.Data.RegisterDatasetAsync(name, csv));

    internal static TrainingJobRequest Request(ModelInfo model, DatasetInfo dataset, TrainingRecipeSpec recipe) =>
        new(model.Id, model.Name, dataset.Id, dataset.Name, recipe, "tester", DateTimeOffset.UtcNow);
}

/// <summary>Waiting on training jobs, bounded.</summary>
internal static class Jobs
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static Task<TrainingJobState> WaitUntilFinishedAsync(IClusterClient client, Guid jobId) =>
        WaitUntilAsync(client, jobId, job => job.IsFinished, "the job to finish");

    public static async Task<TrainingJobState> WaitUntilAsync(IClusterClient client, Guid jobId, Func<TrainingJobState, bool> condition, string what)
    {
        var grain = client.GetGrain<ITrainingJobGrain>(jobId);
        var waited = Stopwatch.StartNew();
        var revision = -1L;
        while (true)
        {
            Assert.True(waited.Elapsed < Bound, $"gave up waiting for {what} after {Bound.TotalSeconds} s");
            try
            {
                var job = await grain.WaitForChange(revision, TimeSpan.FromSeconds(1));
                if (condition(job))
                {
                    return job;
                }

                revision = job.Revision;
            }
            catch (Exception) when (waited.Elapsed < Bound)
            {
                // The job's silo is going away: ask again in a moment.
                await Task.Delay(200);
            }
        }
    }
}
