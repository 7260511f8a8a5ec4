using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// One labscape's batching figures: published through System.Diagnostics.Metrics (meter <see cref="MeterName"/>,
/// tagged with the labscape and the served model's version, durations in seconds as OpenTelemetry's conventions have
/// them) and kept locally for <see cref="ILabscapeGrain.GetMetrics"/>. Thread-safe: the batchers of the labscape's
/// served models record from their pumps.
/// </summary>
internal sealed class BatchMetrics(int labscapeId)
{
    public const string MeterName = "Galaxy.Labscapes";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "galaxy.labscape.batch.size", "{row}", "Rows per kernel launch.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192] });
    private static readonly Histogram<double> QueueDuration = Meter.CreateHistogram<double>(
        "galaxy.labscape.queue.duration", "s", "How long a batch's oldest request waited for its launch.");
    private static readonly Histogram<double> KernelDuration = Meter.CreateHistogram<double>(
        "galaxy.labscape.kernel.duration", "s", "One batch's kernel time.");
    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "galaxy.labscape.request.duration", "s", "From a request's arrival in the labscape's queue to its answer.");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>(
        "galaxy.labscape.requests.rejected", "{request}", "Requests refused for a full queue (overload) or dropped past their deadline (timeout).");

    private const int SizeBuckets = 14; // ≤1, ≤2, ≤4 … ≤8192 rows

    // Boxed once: every completed request is tagged with it, and a boxing per request is garbage on the hot path.
    private readonly object _labscape = labscapeId;
    private readonly Lock _lock = new();
    private readonly long[] _sizeHistogram = new long[SizeBuckets];
    private readonly LatencyHistogram _latency = new();
    private long _batches;
    private long _rows;
    private double _queueDelayMs;
    private double _kernelMs;
    private long _overloads;
    private long _timeouts;
    private long _learns;

    public void RecordBatch(string version, int rows, double oldestQueueDelayMs, double kernelMs)
    {
        lock (_lock)
        {
            _batches++;
            _rows += rows;
            _queueDelayMs += oldestQueueDelayMs;
            _kernelMs += kernelMs;
            _sizeHistogram[Math.Min(SizeBuckets - 1, 32 - int.LeadingZeroCount(Math.Max(rows, 1) - 1))]++;
        }

        var tags = Tags(version);
        BatchSize.Record(rows, tags);
        QueueDuration.Record(oldestQueueDelayMs / 1_000, tags);
        KernelDuration.Record(kernelMs / 1_000, tags);
    }

    /// <summary>
    /// A predict run alone on its caller's thread: a batch of one row that waited for nothing, and the request it
    /// completed, recorded under one lock with one set of tags, as it runs on every idle predict.
    /// </summary>
    public void RecordBatchOfOne(string version, long started, long now)
    {
        var elapsed = Stopwatch.GetElapsedTime(started, now);
        var kernelMs = elapsed.TotalMilliseconds;
        lock (_lock)
        {
            _batches++;
            _rows++;
            _kernelMs += kernelMs;
            _sizeHistogram[0]++;
            _latency.Record(kernelMs);
        }

        var tags = Tags(version);
        BatchSize.Record(1, tags);
        QueueDuration.Record(0, tags);
        KernelDuration.Record(elapsed.TotalSeconds, tags);
        RequestDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void RecordCompleted(string version, long enqueuedAt, long now)
    {
        var latency = Stopwatch.GetElapsedTime(enqueuedAt, now);
        var latencyMs = latency.TotalMilliseconds;
        lock (_lock)
        {
            _latency.Record(latencyMs);
        }

        RequestDuration.Record(latency.TotalSeconds, Tags(version));
    }

    public void RecordOverload(string version)
    {
        Interlocked.Increment(ref _overloads);
        var tags = Tags(version);
        tags.Add("reason", "overload");
        Rejections.Add(1, tags);
    }

    public void RecordTimeout(string version)
    {
        Interlocked.Increment(ref _timeouts);
        var tags = Tags(version);
        tags.Add("reason", "timeout");
        Rejections.Add(1, tags);
    }

    public void RecordLearn() => Interlocked.Increment(ref _learns);

    private TagList Tags(string version) => new() { { "galaxy.labscape", _labscape }, { "galaxy.model.version", version } };

    public LabscapeMetrics Snapshot(int queueLength, string backend)
    {
        lock (_lock)
        {
            return new LabscapeMetrics
            {
                Batches = _batches,
                Rows = _rows,
                BatchSizeHistogram = (long[])_sizeHistogram.Clone(),
                MeanBatchSize = _batches == 0 ? 0 : (double)_rows / _batches,
                MeanQueueDelayMs = _batches == 0 ? 0 : _queueDelayMs / _batches,
                MeanKernelMs = _batches == 0 ? 0 : _kernelMs / _batches,
                LatencyP50Ms = _latency.Percentile(0.50),
                LatencyP95Ms = _latency.Percentile(0.95),
                LatencyP99Ms = _latency.Percentile(0.99),
                Overloads = Interlocked.Read(ref _overloads),
                Timeouts = Interlocked.Read(ref _timeouts),
                QueueLength = queueLength,
                Backend = backend,
                Learns = Interlocked.Read(ref _learns),
            };
        }
    }
}
