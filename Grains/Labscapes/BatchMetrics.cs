using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// One labscape's batching figures: published through System.Diagnostics.Metrics (meter <see cref="MeterName"/>,
/// tagged with the labscape) and kept locally for <see cref="ILabscapeGrain.GetMetrics"/>. Thread-safe: the batchers
/// of the labscape's served models record from their pumps.
/// </summary>
internal sealed class BatchMetrics(int labscapeId)
{
    public const string MeterName = "Galaxy.Labscapes";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("galaxy.labscape.batch_size", "{row}");
    private static readonly Histogram<double> QueueDelay = Meter.CreateHistogram<double>("galaxy.labscape.queue_delay", "ms");
    private static readonly Histogram<double> KernelTime = Meter.CreateHistogram<double>("galaxy.labscape.kernel_time", "ms");
    private static readonly Histogram<double> RequestLatency = Meter.CreateHistogram<double>("galaxy.labscape.request_latency", "ms");
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("galaxy.labscape.rejections", "{request}");

    private const int SizeBuckets = 14; // ≤1, ≤2, ≤4 … ≤8192 rows

    private readonly KeyValuePair<string, object?> _tag = new("labscape", labscapeId);
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

    public void RecordBatch(int rows, double oldestQueueDelayMs, double kernelMs)
    {
        lock (_lock)
        {
            _batches++;
            _rows += rows;
            _queueDelayMs += oldestQueueDelayMs;
            _kernelMs += kernelMs;
            _sizeHistogram[Math.Min(SizeBuckets - 1, 32 - int.LeadingZeroCount(Math.Max(rows, 1) - 1))]++;
        }

        BatchSize.Record(rows, _tag);
        QueueDelay.Record(oldestQueueDelayMs, _tag);
        KernelTime.Record(kernelMs, _tag);
    }

    public void RecordCompleted(long enqueuedAt, long now)
    {
        var latencyMs = Stopwatch.GetElapsedTime(enqueuedAt, now).TotalMilliseconds;
        lock (_lock)
        {
            _latency.Record(latencyMs);
        }

        RequestLatency.Record(latencyMs, _tag);
    }

    public void RecordOverload()
    {
        Interlocked.Increment(ref _overloads);
        Rejections.Add(1, _tag, new KeyValuePair<string, object?>("reason", "overload"));
    }

    public void RecordTimeout()
    {
        Interlocked.Increment(ref _timeouts);
        Rejections.Add(1, _tag, new KeyValuePair<string, object?>("reason", "timeout"));
    }

    public void RecordLearn() => Interlocked.Increment(ref _learns);

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
