using System.Diagnostics;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// A labscape's dynamic batcher (Triton's is the model): requests queue up, and one pump turns the queue into
/// batches, each one kernel launch on the labscape's table.
/// </summary>
/// <remarks>
/// <para>
/// A batch starts when it is full (<see cref="BatchingSettings.MaxBatchSize"/>) or when its oldest request has waited
/// <see cref="BatchingSettings.MaxQueueDelayMicroseconds"/>, at the runtime timer's resolution (about a millisecond: a
/// shorter delay waits that long). With no delay (the default, as in Triton) a batch takes whatever has arrived once
/// the requests already delivered have been let in; while a batch runs, the next one fills.
/// </para>
/// <para>
/// Order: a batch holds one kind of request (predicts, or learns with one set of settings), taken from the queue in
/// arrival order; a request that cannot join blocks its unit, so no later request of that unit overtakes it. Requests
/// past their deadline are dropped before launch; a full queue refuses new requests at once.
/// </para>
/// <para>
/// Runs on the owning grain's scheduler (one thread at a time), so it needs no locks of its own; table access is
/// still serialised through <see cref="WithTableAsync{T}"/> because kernels are awaited.
/// </para>
/// </remarks>
internal sealed class RequestBatcher
{
    private readonly IParameterTable _table;
    private readonly BatchMetrics _metrics;
    private readonly int _maxBatchSize;
    private readonly long _maxQueueDelayTicks;
    private readonly int _maxQueueLength;
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly List<PendingRequest> _queue = [];
    private readonly List<PendingRequest> _batch = [];
    private readonly HashSet<int> _blockedSlots = [];
    private readonly int[] _slots;
    private readonly float[] _inputs;
    private readonly float[] _outputs;
    private readonly float[] _targets;
    private readonly float[] _losses;
    private bool _pumping;
    private TaskCompletionSource? _batchFull;

    public RequestBatcher(IParameterTable table, BatchingSettings settings, int backendMaxRows, BatchMetrics metrics)
    {
        _table = table;
        _metrics = metrics;
        _maxBatchSize = Math.Clamp(settings.MaxBatchSize, 1, backendMaxRows);
        _maxQueueDelayTicks = settings.MaxQueueDelayMicroseconds * Stopwatch.Frequency / 1_000_000;
        _maxQueueLength = settings.MaxQueueLength;
        var architecture = table.Architecture;
        _slots = new int[_maxBatchSize];
        _inputs = new float[_maxBatchSize * architecture.Inputs];
        _outputs = new float[_maxBatchSize * architecture.Outputs];
        _targets = new float[_maxBatchSize * architecture.Outputs];
        _losses = new float[_maxBatchSize];
    }

    public int QueueLength => _queue.Count;

    public Task<float[]> PredictAsync(int slot, float[] input, TimeSpan? timeout)
    {
        EnsureRoom(1);
        var request = new PendingPredict(slot, input, Stopwatch.GetTimestamp(), DeadlineOf(timeout));
        Enqueue(request);
        return request.Completion.Task;
    }

    /// <summary>Several predicts that enter the queue together (all or none), each a row of its own.</summary>
    public Task<float[][]> PredictManyAsync(IReadOnlyList<int> slots, IReadOnlyList<float[]> inputs, TimeSpan? timeout)
    {
        EnsureRoom(slots.Count);
        var now = Stopwatch.GetTimestamp();
        var deadline = DeadlineOf(timeout);
        var rows = new Task<float[]>[slots.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var request = new PendingPredict(slots[i], inputs[i], now, deadline);
            _queue.Add(request);
            rows[i] = request.Completion.Task;
        }

        StartPumpOrWake();
        return Task.WhenAll(rows);
    }

    public Task<LearnedParameters> LearnAsync(int slot, float[] input, float[] target, LearnSpec spec, TimeSpan? timeout)
    {
        EnsureRoom(1);
        var request = new PendingLearn(slot, input, target, spec, Stopwatch.GetTimestamp(), DeadlineOf(timeout));
        Enqueue(request);
        return request.Completion.Task;
    }

    /// <summary>Exclusive use of the table between batches (loading weights, the tick).</summary>
    public async Task<T> WithTableAsync<T>(Func<IParameterTable, Task<T>> action)
    {
        await _tableGate.WaitAsync();
        try
        {
            return await action(_table);
        }
        finally
        {
            _tableGate.Release();
        }
    }

    private static long? DeadlineOf(TimeSpan? timeout) =>
        timeout is { } after ? Stopwatch.GetTimestamp() + (long)(after.TotalSeconds * Stopwatch.Frequency) : null;

    private void EnsureRoom(int rows)
    {
        if (_queue.Count + rows > _maxQueueLength)
        {
            _metrics.RecordOverload();
            throw new LabscapeOverloadedException(
                $"The labscape's queue is full ({_queue.Count} of {_maxQueueLength} requests waiting); retry shortly.");
        }
    }

    private void Enqueue(PendingRequest request)
    {
        _queue.Add(request);
        StartPumpOrWake();
    }

    private void StartPumpOrWake()
    {
        StartPump();
        if (_queue.Count >= _maxBatchSize)
        {
            _batchFull?.TrySetResult();
        }
    }

    private void StartPump()
    {
        if (!_pumping)
        {
            _pumping = true;
            _ = PumpAsync();
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (_queue.Count > 0)
            {
                await WaitForCompanyAsync();
                var oldest = TakeBatch();
                if (_batch.Count == 0)
                {
                    continue;
                }

                await _tableGate.WaitAsync();
                try
                {
                    await LaunchAsync(oldest);
                }
                catch (Exception exception)
                {
                    foreach (var request in _batch)
                    {
                        request.Fail(exception);
                    }
                }
                finally
                {
                    _tableGate.Release();
                    _batch.Clear();
                }
            }
        }
        finally
        {
            _pumping = false;
        }
    }

    private async Task WaitForCompanyAsync()
    {
        // Requests already delivered to the grain come in first, whatever the delay.
        await Task.Yield();
        var remaining = _queue.Count >= _maxBatchSize
            ? 0
            : _queue[0].EnqueuedAt + _maxQueueDelayTicks - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            _batchFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Timers count whole milliseconds and truncate: round up, or a 0.9 ms wait would not wait at all.
            var milliseconds = Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
            await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(milliseconds)), _batchFull.Task);
            _batchFull = null;
        }
    }

    /// <summary>Moves the next batch from the queue into <see cref="_batch"/>; returns its oldest arrival.</summary>
    private long TakeBatch()
    {
        _blockedSlots.Clear();
        var now = Stopwatch.GetTimestamp();
        object? key = null;
        var oldest = now;
        var kept = 0;
        for (var i = 0; i < _queue.Count; i++)
        {
            var request = _queue[i];
            if (request.Deadline < now)
            {
                _metrics.RecordTimeout();
                request.Fail(new RequestTimedOutException("The request's deadline passed before its batch was launched."));
                continue;
            }

            var joins = _batch.Count < _maxBatchSize
                && (key is null || key.Equals(request.BatchKey))
                && !_blockedSlots.Contains(request.Slot);
            if (joins)
            {
                key ??= request.BatchKey;
                oldest = Math.Min(oldest, request.EnqueuedAt);
                _batch.Add(request);
            }
            else
            {
                _blockedSlots.Add(request.Slot);
                _queue[kept++] = request;
            }
        }

        _queue.RemoveRange(kept, _queue.Count - kept);
        return oldest;
    }

    private async Task LaunchAsync(long oldest)
    {
        var rows = _batch.Count;
        var architecture = _table.Architecture;
        for (var i = 0; i < rows; i++)
        {
            _slots[i] = _batch[i].Slot;
            _batch[i].Input.CopyTo(_inputs, i * architecture.Inputs);
        }

        var started = Stopwatch.GetTimestamp();
        var queueDelayMs = Stopwatch.GetElapsedTime(oldest, started).TotalMilliseconds;
        if (_batch[0] is PendingPredict)
        {
            await _table.ForwardAsync(
                _slots.AsMemory(0, rows), _inputs.AsMemory(0, rows * architecture.Inputs), _outputs.AsMemory(0, rows * architecture.Outputs));
            _metrics.RecordBatch(rows, queueDelayMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            CompletePredicts(architecture.Outputs);
        }
        else
        {
            await LearnBatchAsync(rows, architecture);
            _metrics.RecordBatch(rows, queueDelayMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private void CompletePredicts(int outputs)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < _batch.Count; i++)
        {
            var request = (PendingPredict)_batch[i];
            request.Completion.TrySetResult(_outputs.AsSpan(i * outputs, outputs).ToArray());
            _metrics.RecordCompleted(request.EnqueuedAt, now);
        }
    }

    private async Task LearnBatchAsync(int rows, MlpArchitecture architecture)
    {
        var spec = ((PendingLearn)_batch[0]).Spec;
        for (var i = 0; i < rows; i++)
        {
            ((PendingLearn)_batch[i]).Target.CopyTo(_targets, i * architecture.Outputs);
        }

        await _table.LearnStepAsync(
            _slots.AsMemory(0, rows),
            _inputs.AsMemory(0, rows * architecture.Inputs),
            _targets.AsMemory(0, rows * architecture.Outputs),
            spec.ToSettings(),
            _losses.AsMemory(0, rows));

        // The new parameters go back to each unit, which persists them before it acknowledges.
        for (var i = 0; i < rows; i++)
        {
            var parameters = new float[architecture.ParameterCount];
            await _table.ReadUnitAsync(_slots[i], parameters);
            var request = (PendingLearn)_batch[i];
            request.Completion.TrySetResult(new LearnedParameters(float.IsFinite(_losses[i]), _losses[i], parameters));
            _metrics.RecordCompleted(request.EnqueuedAt, Stopwatch.GetTimestamp());
        }
    }
}
