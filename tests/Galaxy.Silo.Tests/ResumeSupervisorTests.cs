using System.Collections.Concurrent;
using Galaxy.Silo.ControlPlane;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Galaxy.Silo.Tests;

/// <summary>
/// The supervisor that keeps long-running work active: a check that fails (the database away) is logged and tried
/// again at the next tick, which touches every unfinished item.
/// </summary>
public sealed class ResumeSupervisorTests
{
    [Fact]
    public async Task A_failed_check_is_logged_and_the_next_tick_touches_every_unfinished_item()
    {
        Guid[] unfinished = [Guid.NewGuid(), Guid.NewGuid()];
        var checks = 0;
        var touched = new ConcurrentDictionary<Guid, bool>();
        var allTouched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new RecordedLog<ResumeSupervisor>(LogLevel.Warning);
        using var supervisor = new ResumeSupervisor(
            "training jobs",
            _ => Interlocked.Increment(ref checks) == 1
                ? throw new NpgsqlException("the database is away")
                : Task.FromResult<IReadOnlyList<Guid>>(unfinished),
            id =>
            {
                touched[id] = true;
                if (touched.Count == unfinished.Length)
                {
                    allTouched.TrySetResult();
                }

                return Task.CompletedTask;
            },
            Options.Create(new ControlPlaneOptions { ResumeCheckSeconds = 1 }),
            log);

        await supervisor.StartAsync(CancellationToken.None);
        var (message, fault) = await log.NextAsync();
        await allTouched.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await supervisor.StopAsync(CancellationToken.None);

        Assert.Contains("Could not check on the unfinished training jobs", message, StringComparison.Ordinal);
        Assert.IsType<NpgsqlException>(fault);
        Assert.Equal(unfinished.Order(), touched.Keys.Order());
        Assert.True(supervisor.ExecuteTask!.IsCompleted, "stopping the silo did not end the supervisor");
    }
}
