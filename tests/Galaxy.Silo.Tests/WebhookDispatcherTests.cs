using Galaxy.Registry.Monitoring;
using Galaxy.Silo.Monitoring;
using Galaxy.Testing.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Galaxy.Silo.Tests;

/// <summary>The silo's once-a-second sender of due alert deliveries, when PostgreSQL is away: what is due stays due.</summary>
public sealed class WebhookDispatcherTests
{
    [Fact]
    public async Task A_tick_that_cannot_reach_the_database_is_logged_and_the_next_tick_tries_again()
    {
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={LoopbackPort.Free()};Username=galaxy_silo;Database=galaxy");
        var clock = new TimerWatchingClock();
        var log = new RecordedLog<WebhookDispatcher>(LogLevel.Warning);
        using var http = new HttpClient();
        var sender = new WebhookSender(new AlertDeliveries(unreachable), http, new MonitoringOptions(), clock, NullLogger<WebhookSender>.Instance);
        using var dispatcher = new WebhookDispatcher(sender, clock, log);

        await dispatcher.StartAsync(CancellationToken.None);
        await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(1));
        var first = await log.NextAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await log.NextAsync();
        await dispatcher.StopAsync(CancellationToken.None);

        foreach (var (message, fault) in new[] { first, second })
        {
            Assert.Contains("Could not send the due alert deliveries", message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<NpgsqlException>(fault);
        }

        Assert.True(dispatcher.ExecuteTask!.IsCompleted, "stopping the silo did not end the dispatcher");
    }
}

/// <summary>A fake clock that says when a timer is made on it, so a test moves time only once the service waits on it.</summary>
internal sealed class TimerWatchingClock : FakeTimeProvider
{
    private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task TimerCreated => _timerCreated.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timerCreated.TrySetResult();
        return timer;
    }
}
