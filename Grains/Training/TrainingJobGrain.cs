using System.Diagnostics;
using System.Text.Json;
using Galaxy.Registry;
using Galaxy.Registry.Training;
using Galaxy.Training;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Galaxy.Grains.Training;

/// <summary>
/// Runs one training job: waits for a training slot on its silo, trains the request's population epoch by epoch,
/// persists its state (and publishes its row in <c>galaxy_training_jobs</c>) after every epoch, checkpoints the
/// population every <see cref="TrainingOptions.CheckpointIntervalSeconds"/> and after the last epoch, and registers the
/// best candidate as a <c>PENDING</c> version. An activation that finds its job unfinished picks it up from its last
/// checkpoint: that is how a job survives its silo (<see cref="TrainingJobSupervisor"/> makes sure one does).
/// </summary>
/// <remarks>
/// The epochs run off the grain's scheduler (they are seconds of compute); state changes happen back on it, between
/// epochs, so calls that read the state interleave safely. Faults of the job itself (data a classifier cannot train on)
/// end it as <see cref="TrainingJobStatus.Failed"/>; faults of the infrastructure (PostgreSQL away) deactivate the grain
/// instead, leaving the job unfinished for the next activation to resume.
/// </remarks>
public sealed partial class TrainingJobGrain(
    [PersistentState(TrainingJobState.StateName, GrainStorage.Galaxy)] IPersistentState<TrainingJobState> state,
    IComputeBackend backend,
    TrainingSlots slots,
    DatasetStore datasets,
    ModelRegistry registry,
    TrainingJobStore jobs,
    IOptions<TrainingOptions> options,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<TrainingJobGrain> logger) : ControlPlaneGrain, ITrainingJobGrain
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private PopulationTrainer? _trainer;
    private string? _cancelledBy;
    private TaskCompletionSource _changed = NewSignal();

    private Guid JobId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && !state.State.IsFinished)
        {
            _run = RunAsync(resuming: state.State.Status == TrainingJobStatus.Running);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The job stays as it is: unfinished, for the next activation to resume.
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Deactivation ran out of time; the checkpoint in storage is where the job goes on from.
        }
    }

    public async Task<TrainingJobState> Submit(TrainingJobRequest request)
    {
        if (state.RecordExists)
        {
            return Current();
        }

        var recipe = request.Recipe.ToRecipe();
        if (recipe.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidTrainingRequestException(string.Join(" ", problems));
        }

        state.State = new TrainingJobState
        {
            JobId = JobId,
            Request = request,
            Status = TrainingJobStatus.Queued,
            CreatedAt = clock.GetUtcNow(),
            Backend = backend.Name,
            Candidates = recipe.Candidates()
                .Select(c => new CandidateSummary(c.Index, c.LearningRate, c.Seed, c.InputNoise, c.Mixup, double.NaN, double.NaN, double.NaN, 0))
                .ToArray(),
        };
        await SaveAsync();
        var queued = state.State;
        _run = RunAsync(resuming: false);
        return queued;
    }

    public Task<TrainingJobState> GetState() => Task.FromResult(Current());

    public async Task<TrainingJobState> WaitForChange(long afterRevision, TimeSpan maxWait)
    {
        var current = Current();
        if (current.Revision > afterRevision || current.IsFinished)
        {
            return current;
        }

        await Task.WhenAny(_changed.Task, Task.Delay(maxWait < LongestWait ? maxWait : LongestWait));
        return Current();
    }

    public async Task<TrainingJobState> Cancel(string actor)
    {
        if (Current().IsFinished)
        {
            return state.State;
        }

        _cancelledBy = actor;
        await _stop.CancelAsync();
        await _run;
        return Current();
    }

    private TrainingJobState Current()
    {
        if (!state.RecordExists)
        {
            throw new TrainingJobNotFoundException(JobId);
        }

        return _trainer is { } trainer ? state.State with { Progress = trainer.Progress } : state.State;
    }

    private async Task RunAsync(bool resuming)
    {
        var request = state.State.Request!;
        try
        {
            using var slot = await slots.AcquireAsync(_stop.Token);
            var recipe = request.Recipe.ToRecipe();
            var table = await datasets.LoadAsync(request.DatasetId, _stop.Token)
                ?? throw new InvalidTrainingRequestException($"Dataset {request.DatasetName} no longer exists.");
            var set = TrainingSet.Prepare(LabelledData.FromLabels(table.FeatureNames.Length, table.Features, table.Labels), recipe);
            using var trainer = await PopulationTrainer.CreateAsync(backend, set, recipe);
            if (await jobs.LoadCheckpointAsync(JobId, _stop.Token) is var (epochsDone, parameters))
            {
                await trainer.RestoreAsync(new PopulationCheckpoint(epochsDone, parameters));
            }

            _trainer = trainer;
            await UpdateAsync(job => job with
            {
                Status = TrainingJobStatus.Running,
                StartedAt = job.StartedAt ?? clock.GetUtcNow(),
                Backend = backend.Name,
                Silo = silo.SiloAddress.ToString(),
                Resumes = resuming ? job.Resumes + 1 : job.Resumes,
                EpochsDone = trainer.EpochsDone,
                History = job.History.Take(trainer.EpochsDone).ToArray(),
            });
            if (resuming)
            {
                LogResumed(logger, JobId, trainer.EpochsDone);
            }

            await TrainAsync(trainer, recipe.Epochs);
            await KeepPopulationAsync(trainer);
            var version = await RegisterAsync(trainer, set, table, request);
            await UpdateAsync(job => job with { Status = TrainingJobStatus.Succeeded, Version = version, EndedAt = clock.GetUtcNow(), Progress = 1 });
            await jobs.DeleteCheckpointAsync(JobId, CancellationToken.None);
        }
        catch (OperationCanceledException) when (_cancelledBy is { } actor)
        {
            await EndAsync(job => job with { Status = TrainingJobStatus.Cancelled, CancelledBy = actor, EndedAt = clock.GetUtcNow() });
        }
        catch (OperationCanceledException)
        {
            // Deactivating: the job resumes with the next activation.
        }
        catch (Exception fault) when (fault is NpgsqlException or StateNotPersistedException or TimeoutException)
        {
            LogInfrastructureFault(logger, fault, JobId);
            DeactivateOnIdle();
        }
        catch (Exception fault)
        {
            LogJobFailed(logger, fault, JobId);
            await EndAsync(job => job with { Status = TrainingJobStatus.Failed, Error = fault.Message, EndedAt = clock.GetUtcNow() });
        }
        finally
        {
            _trainer = null;
        }
    }

    /// <summary>The remaining epochs: each off the grain's scheduler, its outcome saved back on it, with checkpoints as due.</summary>
    private async Task TrainAsync(PopulationTrainer trainer, int epochs)
    {
        var interval = TimeSpan.FromSeconds(options.Value.CheckpointIntervalSeconds);
        var lastCheckpoint = Stopwatch.GetTimestamp();
        while (trainer.EpochsDone < epochs)
        {
            var report = await Task.Run(() => trainer.RunEpochAsync(_stop.Token));
            ControlPlaneMetrics.EpochDone(state.State.Request!.ModelName);
            await UpdateAsync(job => Record(job, report, trainer.Candidates));
            if (trainer.EpochsDone == epochs || Stopwatch.GetElapsedTime(lastCheckpoint) >= interval)
            {
                var checkpoint = await Task.Run(trainer.CheckpointAsync);
                await jobs.SaveCheckpointAsync(JobId, checkpoint.EpochsDone, checkpoint.Parameters, _stop.Token);
                lastCheckpoint = Stopwatch.GetTimestamp();
            }
        }
    }

    private TrainingJobState Record(TrainingJobState job, EpochReport report, IReadOnlyList<Candidate> candidates)
    {
        var deviceSeconds = job.DeviceSeconds + report.DeviceTime.TotalSeconds;
        var summary = new EpochSummary(
            report.Epoch,
            report.Scores.Average(score => score.TrainLoss),
            report.BestScore.ValidationAccuracy,
            report.Scores.Average(score => score.ValidationAccuracy),
            report.Best,
            report.WallTime.TotalSeconds,
            report.DeviceTime.TotalSeconds);
        return job with
        {
            EpochsDone = report.Epoch,
            History = [.. job.History, summary],
            Candidates = candidates.Select((c, row) => new CandidateSummary(
                c.Index, c.LearningRate, c.Seed, c.InputNoise, c.Mixup, report.Scores[row].TrainLoss, report.Scores[row].ValidationLoss,
                report.Scores[row].ValidationAccuracy, job.Candidates[row].RejectedSteps + report.Scores[row].RejectedSteps)).ToArray(),
            BestCandidate = report.Best,
            DeviceSeconds = deviceSeconds,
            CostUsd = deviceSeconds / 3600 * options.Value.DeviceHourPriceUsd,
        };
    }

    /// <summary>Every candidate's final weights and accuracy, kept for an ensemble teacher (<c>galaxy_training_populations</c>).</summary>
    private async Task KeepPopulationAsync(PopulationTrainer trainer)
    {
        var population = await Task.Run(trainer.CheckpointAsync);
        var accuracy = state.State.Candidates.Select(candidate => candidate.ValidationAccuracy).ToArray();
        await jobs.SavePopulationAsync(JobId, population.Parameters, accuracy, CancellationToken.None);
    }

    /// <summary>The best candidate as a PENDING version, once: a job resumed after registering finds its version instead.</summary>
    private async Task<int> RegisterAsync(PopulationTrainer trainer, TrainingSet set, DatasetTable table, TrainingJobRequest request)
    {
        if (await jobs.RegisteredVersionAsync(JobId, CancellationToken.None) is { } registered)
        {
            return registered;
        }

        var job = state.State;
        var best = job.BestCandidate ?? throw new InvalidOperationException("A finished population has a best candidate.");
        var winner = job.Candidates[best];
        var architecture = trainer.Architecture;
        var metrics = new Dictionary<string, double>
        {
            ["validation_accuracy"] = winner.ValidationAccuracy,
            ["validation_loss"] = winner.ValidationLoss,
            ["train_loss"] = winner.TrainLoss,
            ["population_mean_validation_accuracy"] = job.Candidates.Average(candidate => candidate.ValidationAccuracy),
            ["candidates"] = job.Candidates.Count,
            ["candidate"] = winner.Index,
            ["learning_rate"] = winner.LearningRate,
            ["seed"] = winner.Seed,
            ["input_noise"] = winner.InputNoise,
            ["mixup"] = winner.Mixup,
            ["epochs"] = job.EpochsDone,
            ["train_rows"] = set.Train.Rows,
            ["validation_rows"] = set.Validation.Rows,
            ["device_seconds"] = job.DeviceSeconds,
        };
        var created = await registry.CreateVersionAsync(
            request.ModelId,
            new NewModelVersion(
                architecture.Inputs, architecture.Hidden, architecture.Outputs, request.Recipe.Loss.ToKernelLoss().ToString(),
                await trainer.WeightsAsync(best),
                new Preprocessing(set.Standardization.Offsets, set.Standardization.Scales),
                [.. set.Train.Classes],
                table.FeatureNames,
                metrics,
                new VersionLineage(JobId, request.DatasetId, table.Sha256, ParentVersion: null, Technique: "trained")),
            request.RequestedBy,
            CancellationToken.None);
        return created.Version;
    }

    /// <summary>Applies a change: persists the grain state, publishes the job's row, wakes the watchers.</summary>
    private async Task UpdateAsync(Func<TrainingJobState, TrainingJobState> change)
    {
        state.State = change(state.State) with { Revision = state.State.Revision + 1 };
        await SaveAsync();
    }

    /// <summary>The job's last change; if even that cannot be saved, the next activation finds the job unfinished and goes on.</summary>
    private async Task EndAsync(Func<TrainingJobState, TrainingJobState> change)
    {
        try
        {
            await UpdateAsync(change);
            await jobs.DeleteCheckpointAsync(JobId, CancellationToken.None);
        }
        catch (Exception fault) when (fault is NpgsqlException or StateNotPersistedException or TimeoutException)
        {
            LogInfrastructureFault(logger, fault, JobId);
            DeactivateOnIdle();
        }
    }

    private async Task SaveAsync()
    {
        var job = state.State;
        await state.PersistAsync(this);
        var request = job.Request!;
        ControlPlaneMetrics.TrainingSaved(request.ModelName, job.EpochsDone, request.Recipe.Epochs);
        await jobs.PublishAsync(
            new TrainingJobRow(
                job.JobId, request.ModelId, request.ModelName, request.DatasetId, StatusName(job.Status), request.RequestedBy,
                job.CreatedAt, job.StartedAt, job.EndedAt, job.Progress, job.EpochsDone, request.Recipe.Epochs, job.Candidates.Count,
                job.BestCandidate is { } best ? job.Candidates[best].ValidationAccuracy : null, job.Version, job.DeviceSeconds,
                (decimal)job.CostUsd, job.Error),
            JsonSerializer.Serialize(request.Recipe, Json),
            CancellationToken.None);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    /// <summary>QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED.</summary>
    private static string StatusName(TrainingJobStatus status) => status.ToString().ToUpperInvariant();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {JobId} resumed after {Epochs} epochs.")]
    private static partial void LogResumed(ILogger logger, Guid jobId, int epochs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {JobId} stopped by an infrastructure fault; it resumes on its next activation.")]
    private static partial void LogInfrastructureFault(ILogger logger, Exception fault, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {JobId} failed.")]
    private static partial void LogJobFailed(ILogger logger, Exception fault, Guid jobId);
}
