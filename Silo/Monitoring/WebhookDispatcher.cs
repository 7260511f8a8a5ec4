using Galaxy.Registry.Monitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Galaxy.Silo.Monitoring;

/// <summary>
/// Each silo sends the due alert deliveries once a second (<see cref="WebhookSender"/>); deliveries are claimed under a
/// lease, so silos share the work without sending one twice at once, and a silo lost mid-attempt leaves its claim to
/// the others once the lease runs out.
/// </summary>
internal sealed partial class WebhookDispatcher(WebhookSender sender, TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // A full batch may have left more behind it.
                while (await sender.SendDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception fault) when (fault is not OperationCanceledException)
            {
                // PostgreSQL away for a moment: what is due stays due.
                LogDispatchFailed(logger, fault);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the due alert deliveries; trying again in a second.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception fault);
}
