using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Galaxy.Silo.ControlPlane;

/// <summary>
/// Keeps a kind of long-running work (training jobs, deployments) active somewhere. Such work is a grain that resumes
/// on activation, but nothing activates a grain whose silo died; so every <see cref="ControlPlaneOptions.ResumeCheckSeconds"/>
/// each silo reads the unfinished ones from their table and touches their grains: one already running answers at once,
/// an orphan reactivates on a live silo and goes on from its persisted state.
/// </summary>
internal sealed partial class ResumeSupervisor(
    string work,
    Func<CancellationToken, Task<IReadOnlyList<Guid>>> unfinished,
    Func<Guid, Task> touch,
    IOptions<ControlPlaneOptions> options,
    ILogger<ResumeSupervisor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ResumeCheckSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Task.WhenAll((await unfinished(stoppingToken)).Select(touch));
            }
            catch (Exception fault) when (fault is not OperationCanceledException)
            {
                // PostgreSQL or a silo away for a moment: the next tick tries again.
                LogCheckFailed(logger, fault, work);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check on the unfinished {Work}; trying again at the next tick.")]
    private static partial void LogCheckFailed(ILogger logger, Exception fault, string work);
}

/// <summary>How silos look after the control plane's long-running work, bound from <c>Galaxy:ControlPlane</c>.</summary>
public sealed class ControlPlaneOptions
{
    public const string Section = "Galaxy:ControlPlane";

    /// <summary>Seconds between a silo's checks that every unfinished training job and deployment is active somewhere.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3_600)]
    public int ResumeCheckSeconds { get; set; } = 5;
}
