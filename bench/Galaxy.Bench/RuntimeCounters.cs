using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Galaxy.Bench;

/// <summary>
/// What a process's runtime did during one round: garbage collections and their pauses, the thread pool's queue and
/// threads, lock contention. Printed beside each round's latency so that a tail shows its cause (issue #21).
/// </summary>
public sealed record RuntimeFigures(long Collections, double GcPauseMs, double QueueLengthMax, double QueueLengthMean, double ThreadsMax, long LockContentions)
{
    public override string ToString() =>
        $"GC {Collections} ({GcPauseMs:F0} ms paused), thread-pool queue ≤ {QueueLengthMax:F0} (mean {QueueLengthMean:F1}), threads ≤ {ThreadsMax:F0}, lock contentions {LockContentions}";
}

/// <summary>Samples of a process's runtime counters, one a second, read for any window after they were taken.</summary>
public abstract class RuntimeCounters : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<(long At, Sample Sample)> _samples = [];

    /// <param name="Collections">Every collection so far, all generations.</param>
    /// <param name="GcPauseMs">Time paused for collections so far.</param>
    /// <param name="QueueLength">Work items waiting for the thread pool, now (or the mean of the last second).</param>
    /// <param name="Threads">Thread-pool threads, now.</param>
    /// <param name="LockContentions">Contended lock acquisitions so far.</param>
    protected readonly record struct Sample(long Collections, double GcPauseMs, double QueueLength, double Threads, long LockContentions);

    /// <summary>The figures between two moments (<see cref="Stopwatch.GetTimestamp"/>), from the samples taken between them.</summary>
    public RuntimeFigures Between(long from, long to)
    {
        lock (_lock)
        {
            var window = _samples.Where(s => s.At >= from && s.At <= to).Select(s => s.Sample).ToList();
            var before = _samples.LastOrDefault(s => s.At < from).Sample;
            if (window.Count == 0)
            {
                return new RuntimeFigures(0, 0, 0, 0, 0, 0);
            }

            var last = window[^1];
            return new RuntimeFigures(
                last.Collections - before.Collections,
                last.GcPauseMs - before.GcPauseMs,
                window.Max(s => s.QueueLength),
                window.Average(s => s.QueueLength),
                window.Max(s => s.Threads),
                last.LockContentions - before.LockContentions);
        }
    }

    public abstract ValueTask DisposeAsync();

    protected void Add(Sample sample)
    {
        lock (_lock)
        {
            _samples.Add((Stopwatch.GetTimestamp(), sample));
        }
    }
}

/// <summary>This process's counters (the in-process silo, and the load generator beside it), read from the runtime's own APIs.</summary>
public sealed class OwnRuntimeCounters : RuntimeCounters
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public OwnRuntimeCounters()
    {
        Add(Now());
        _sampling = SampleAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private static Sample Now() => new(
        GC.CollectionCount(0), GC.GetTotalPauseDuration().TotalMilliseconds, ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount,
        Monitor.LockContentionCount);

    private async Task SampleAsync()
    {
        // Gen 0's count includes every gen 1 and gen 2 collection: each one collects gen 0 too.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Add(Now());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>
/// Another process's counters (the gateway), over EventPipe as <c>dotnet-counters</c> reads them: the runtime's
/// <c>System.Runtime</c> event counters, published once a second whatever that process's own metrics settings are.
/// </summary>
public sealed class ProcessRuntimeCounters : RuntimeCounters
{
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly Task _reading;
    private static readonly string[] Counted =
        ["gen-0-gc-count", "monitor-lock-contention-count", "total-pause-time-by-gc", "threadpool-queue-length", "threadpool-thread-count"];

    private readonly Dictionary<string, double> _latest = [];
    private readonly HashSet<string> _thisInterval = [];
    private long _collections;
    private double _pauseMs;
    private long _contentions;

    public ProcessRuntimeCounters(int processId)
    {
        var provider = new EventPipeProvider(
            "System.Runtime", EventLevel.Informational, (long)EventKeywords.All, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
        _session = new DiagnosticsClient(processId).StartEventPipeSession([provider], requestRundown: false);
        _source = new EventPipeEventSource(_session.EventStream);
        _source.Dynamic.All += Read;
        _reading = Task.Run(_source.Process);
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (ServerNotAvailableException)
        {
            // The process is gone already; its samples stay.
        }

        await _reading;
        _source.Dispose();
        _session.Dispose();
    }

    private void Read(TraceEvent data)
    {
        if (data.EventName != "EventCounters" || data.PayloadValue(0) is not IDictionary<string, object> outer
            || outer["Payload"] is not IDictionary<string, object> payload)
        {
            return;
        }

        var name = (string)payload["Name"];
        if (!Counted.Contains(name))
        {
            return;
        }

        // One interval's counters arrive together: a sample once all five are in (or one comes round again).
        if (!_thisInterval.Add(name))
        {
            Flush();
            _thisInterval.Add(name);
        }

        switch (name)
        {
            case "gen-0-gc-count":
                _collections += Convert.ToInt64(payload["Increment"], System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "monitor-lock-contention-count":
                _contentions += Convert.ToInt64(payload["Increment"], System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "total-pause-time-by-gc":
                // An incrementing counter, like the two above: it has no mean, and reading one gave 0 ms in every round.
                _pauseMs += Convert.ToDouble(payload["Increment"], System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                _latest[name] = Convert.ToDouble(payload["Mean"], System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        if (_thisInterval.Count == Counted.Length)
        {
            Flush();
        }
    }

    private void Flush()
    {
        Add(new Sample(
            _collections, _pauseMs, _latest.GetValueOrDefault("threadpool-queue-length"),
            _latest.GetValueOrDefault("threadpool-thread-count"), _contentions));
        _thisInterval.Clear();
    }
}
