using Galaxy.Grains;
using Galaxy.Grains.Training;
using Galaxy.Registry.Training;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Galaxy.Silo.Training;

/// <summary>
/// Keeps every unfinished training job active somewhere. A job's grain resumes its job when it activates, but nothing
/// activates a grain whose silo died; so every <see cref="TrainingOptions.ResumeCheckSeconds"/> each silo reads the
/// queued and running jobs from <c>galaxy_training_jobs</c> and touches their grains: a job already training answers at
/// once, an orphan reactivates on a live silo and goes on from its last checkpoint.
/// </summary>
internal sealed partial class TrainingJobSupervisor(
    IGrainFactory grains, TrainingJobStore jobs, IOptions<TrainingOptions> options, ILogger<TrainingJobSupervisor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ResumeCheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var unfinished = await jobs.UnfinishedAsync(stoppingToken);
                await Task.WhenAll(unfinished.Select(job => grains.GetGrain<ITrainingJobGrain>(job).GetState()));
            }
            catch (Exception fault) when (fault is not OperationCanceledException)
            {
                // PostgreSQL or a silo away for a moment: the next tick tries again.
                LogCheckFailed(logger, fault);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check on the unfinished training jobs; trying again at the next tick.")]
    private static partial void LogCheckFailed(ILogger logger, Exception fault);
}
