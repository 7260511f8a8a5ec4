using Galaxy.Persistence.Audit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Galaxy.Gateway.Audit;

/// <summary>
/// Signs a checkpoint every <c>Galaxy:Audit:CheckpointIntervalSeconds</c> when the chain has grown, so that at most that
/// much of the audit is ever unwitnessed. A chain that no longer extends the last checkpoint is not signed over: that is
/// logged as critical, every interval, until someone looks.
/// </summary>
internal sealed class AuditCheckpointService(
    AuditCheckpoints checkpoints, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (checkpoints.Writer is not { } writer || options.Value.CheckpointIntervalSeconds == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckpointIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await writer.CheckpointAsync(stoppingToken) is { } written)
                {
                    logger.LogInformation("Audit {Checkpoint} signed and witnessed.", written.ToString());
                }
            }
            catch (AuditChainBrokenException broken)
            {
                logger.LogCritical("Audit chain tampered with: {Reason}", broken.Message);
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or HttpRequestException or TimeoutException)
            {
                logger.LogError(exception, "Could not write an audit checkpoint; trying again in {Seconds} s.", options.Value.CheckpointIntervalSeconds);
            }
        }
    }
}
