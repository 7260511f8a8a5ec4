using System.Diagnostics;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// A served model's dynamic batcher (Triton's is the model): requests queue up, and one pump turns the queue into
/// batches, each one kernel launch on the model's table.
/// </summary>
/// <remarks>
/// <para>
/// A batch starts when it is full (<see cref="BatchingSettings.MaxBatchSize"/>) or when its oldest request has waited
/// <see cref="BatchingSettings.MaxQueueDelayMicroseconds"/>, at the runtime timer's resolution (about a millisecond: a
/// shorter delay waits that long). With no delay (the default, as in Triton) a batch takes whatever has arrived; while a
/// batch runs, the next one fills. A predict that finds the batcher idle is a batch of one, run at once by its caller.
/// </para>
/// <para>
/// Order: a batch holds one kind of request (predicts, or learns with one set of settings), taken from the queue in
/// arrival order; a request that cannot join blocks its row, so no later request of that row overtakes it. Requests
/// past their deadline are dropped before launch; a full queue refuses new requests at once.
/// </para>
/// <para>
/// Thread-safe: unit grains enqueue from their own activations, in the silo's process. The queue is guarded by a lock
/// held for list operations only; the pump runs on the thread pool, one at a time, and owns the launch buffers. Table
/// access is serialised through <see cref="WithTableAsync{T}"/> because kernels are awaited.
/// </para>
/// </remarks>
internal sealed class RequestBatcher
{
    private readonly BatchMetrics _metrics;
    private readonly string _version;
    private readonly int _maxBatchSize;
    private readonly long _maxQueueDelayTicks;
    private readonly int _maxQueueLength;
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly List<PendingRequest> _queue = [];
    private readonly List<PendingRequest> _batch = [];
    private readonly HashSet<int> _blockedRows = [];
    private readonly int[] _rows;
    private readonly float[] _inputs;
    private readonly float[] _outputs;
    private readonly float[] _targets;
    private readonly float[] _losses;
    // Grown by the learn batches that need it, never allocated for a model that only predicts: room for a full batch
    // of the digits model's weights is 4,096 × 2,410 floats, 39 MB per served model and labscape.
    private float[] _learned = [];
    private IParameterTable _table;
    private bool _pumping;
    private bool _retired;
    private bool _tableDisposed;
    private TaskCompletionSource? _batchFull;
    private TaskCompletionSource? _drained;

    /// <param name="version">The served model's version, which its metrics are tagged with.</param>
    public RequestBatcher(IParameterTable table, BatchingSettings settings, int backendMaxRows, BatchMetrics metrics, string version)
    {
        _table = table;
        _metrics = metrics;
        _version = version;
        _maxBatchSize = Math.Clamp(settings.MaxBatchSize, 1, backendMaxRows);
        _maxQueueDelayTicks = settings.MaxQueueDelayMicroseconds * Stopwatch.Frequency / 1_000_000;
        _maxQueueLength = settings.MaxQueueLength;
        var architecture = table.Architecture;
        _rows = new int[_maxBatchSize];
        _inputs = new float[_maxBatchSize * architecture.Inputs];
        _outputs = new float[_maxBatchSize * architecture.Outputs];
        _targets = new float[_maxBatchSize * architecture.Outputs];
        _losses = new float[_maxBatchSize];
    }

    public int QueueLength
    {
        get
        {
            lock (_queueLock)
            {
                return _queue.Count;
            }
        }
    }

    public Task<float[]> PredictAsync(int row, float[] input, TimeSpan? timeout)
    {
        if (TryPredictAlone(row, input) is { } alone)
        {
            return alone;
        }

        var request = new PendingPredict(row, input, Stopwatch.GetTimestamp(), DeadlineOf(timeout));
        Enqueue([request]);
        return request.Completion.Task;
    }

    /// <summary>Several predicts that enter the queue together (all or none), each a row of its own.</summary>
    public Task<float[][]> PredictManyAsync(IReadOnlyList<int> rows, IReadOnlyList<float[]> inputs, TimeSpan? timeout)
    {
        var now = Stopwatch.GetTimestamp();
        var deadline = DeadlineOf(timeout);
        var requests = new PendingPredict[rows.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = new PendingPredict(rows[i], inputs[i], now, deadline);
        }

        Enqueue(requests);
        return Task.WhenAll(requests.Select(request => request.Completion.Task));
    }

    /// <summary>One SGD step on <paramref name="row"/>; the answer carries the row's parameters after it.</summary>
    public Task<LearnedParameters> LearnAsync(int row, float[] input, float[] target, LearnSpec spec, TimeSpan? timeout)
    {
        var request = new PendingLearn(row, input, target, spec, Stopwatch.GetTimestamp(), DeadlineOf(timeout));
        Enqueue([request]);
        return request.Completion.Task;
    }

    /// <summary>Exclusive use of the table between batches (loading weights, growing it, the tick).</summary>
    /// <exception cref="BatcherRetiredException">The table was freed (<see cref="DisposeTableAsync"/>).</exception>
    public async Task<T> WithTableAsync<T>(Func<IParameterTable, Task<T>> action)
    {
        await _tableGate.WaitAsync();
        try
        {
            return _tableDisposed ? throw new BatcherRetiredException() : await action(_table);
        }
        finally
        {
            _tableGate.Release();
        }
    }

    /// <summary>Frees the table once the batch in flight is done; later table work is refused (<see cref="BatcherRetiredException"/>).</summary>
    public async Task DisposeTableAsync()
    {
        await _tableGate.WaitAsync();
        try
        {
            if (!_tableDisposed)
            {
                _tableDisposed = true;
                _table.Dispose();
            }
        }
        finally
        {
            _tableGate.Release();
        }
    }

    /// <summary>
    /// Puts <paramref name="replace"/>'s table in place of the current one, between batches; the caller disposes the old
    /// one (which <paramref name="replace"/> receives, e.g. to copy its rows).
    /// </summary>
    public Task ReplaceTableAsync(Func<IParameterTable, Task<IParameterTable>> replace) =>
        WithTableAsync(async table =>
        {
            _table = await replace(table);
            return true;
        });

    /// <summary>
    /// Takes no more requests (<see cref="BatcherRetiredException"/>) and completes once those already queued are answered,
    /// so that the table can be disposed.
    /// </summary>
    public Task RetireAsync()
    {
        lock (_queueLock)
        {
            _retired = true;
            if (!_pumping)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    /// <summary>
    /// A predict that finds the batcher idle (nothing queued, no batch running) is a batch of one: it runs at once on the
    /// caller's thread, so that it skips the hand-off to the pump and the hop back to its unit's activation, which cost
    /// more than a one-row forward pass. Null when the batcher is busy, or when a queue delay asks requests to wait for
    /// company: the request queues and batches as usual.
    /// </summary>
    private Task<float[]>? TryPredictAlone(int row, float[] input)
    {
        if (_maxQueueDelayTicks > 0)
        {
            return null;
        }

        lock (_queueLock)
        {
            if (_pumping || _retired)
            {
                return null;
            }
        }

        if (!_tableGate.Wait(0))
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            if (_tableDisposed)
            {
                _tableGate.Release();
                return null;
            }

            // The table gate is held, so the pump is not launching and the launch buffers are free.
            _rows[0] = row;
            var output = new float[_table.Architecture.Outputs];
            var forward = _table.ForwardAsync(_rows.AsMemory(0, 1), input, output);
            if (!forward.IsCompletedSuccessfully)
            {
                return AwaitAloneAsync(forward, output, started);
            }

            _tableGate.Release();
            RecordAlone(started);
            return Task.FromResult(output);
        }
        catch
        {
            _tableGate.Release();
            throw;
        }
    }

    private async Task<float[]> AwaitAloneAsync(Task forward, float[] output, long started)
    {
        try
        {
            await forward;
        }
        finally
        {
            _tableGate.Release();
        }

        RecordAlone(started);
        return output;
    }

    private void RecordAlone(long started) => _metrics.RecordBatchOfOne(_version, started, Stopwatch.GetTimestamp());

    private static long? DeadlineOf(TimeSpan? timeout) =>
        timeout is { } after ? Stopwatch.GetTimestamp() + (long)(after.TotalSeconds * Stopwatch.Frequency) : null;

    private void Enqueue(PendingRequest[] requests)
    {
        bool startPump;
        lock (_queueLock)
        {
            if (_retired)
            {
                throw new BatcherRetiredException();
            }

            if (_queue.Count + requests.Length > _maxQueueLength)
            {
                _metrics.RecordOverload(_version);
                throw new LabscapeOverloadedException(
                    $"The labscape's queue is full ({_queue.Count} of {_maxQueueLength} requests waiting); retry shortly.");
            }

            _queue.AddRange(requests);
            startPump = !_pumping;
            _pumping = true;
            if (_queue.Count >= _maxBatchSize)
            {
                _batchFull?.TrySetResult();
            }
        }

        if (startPump)
        {
            _ = Task.Run(PumpAsync);
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            await WaitForCompanyAsync();

            // The batch is cut once the table is free, so what arrives while it is busy (a batch of one, a load, the
            // tick) joins it, and every request not launching is counted against the queue's length.
            await _tableGate.WaitAsync();
            var idle = false;
            TaskCompletionSource? drained = null;
            try
            {
                long oldest;
                lock (_queueLock)
                {
                    oldest = TakeBatch();
                    if (_batch.Count == 0 && _queue.Count == 0)
                    {
                        _pumping = false;
                        idle = true;
                        drained = _drained;
                    }
                }

                if (_batch.Count > 0)
                {
                    await LaunchAsync(oldest);
                }
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

            if (idle)
            {
                drained?.TrySetResult();
                return;
            }
        }
    }

    private async Task WaitForCompanyAsync()
    {
        TaskCompletionSource batchFull;
        long remaining;
        lock (_queueLock)
        {
            remaining = _queue.Count == 0 || _queue.Count >= _maxBatchSize
                ? 0
                : _queue[0].EnqueuedAt + _maxQueueDelayTicks - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            _batchFull = batchFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Timers count whole milliseconds and truncate: round up, or a 0.9 ms wait would not wait at all.
        var milliseconds = Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
        await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(milliseconds)), batchFull.Task);
        lock (_queueLock)
        {
            _batchFull = null;
        }
    }

    /// <summary>Moves the next batch from the queue into <see cref="_batch"/> (under the queue lock); returns its oldest arrival.</summary>
    private long TakeBatch()
    {
        _blockedRows.Clear();
        var now = Stopwatch.GetTimestamp();
        object? key = null;
        var oldest = now;
        var kept = 0;
        for (var i = 0; i < _queue.Count; i++)
        {
            var request = _queue[i];
            if (request.Deadline < now)
            {
                _metrics.RecordTimeout(_version);
                request.Fail(new RequestTimedOutException("The request's deadline passed before its batch was launched."));
                continue;
            }

            var joins = _batch.Count < _maxBatchSize
                && (key is null || key.Equals(request.BatchKey))
                && !_blockedRows.Contains(request.Row);
            if (joins)
            {
                key ??= request.BatchKey;
                oldest = Math.Min(oldest, request.EnqueuedAt);
                _batch.Add(request);
            }
            else
            {
                _blockedRows.Add(request.Row);
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
            _rows[i] = _batch[i].Row;
            _batch[i].Input.CopyTo(_inputs, i * architecture.Inputs);
        }

        var started = Stopwatch.GetTimestamp();
        var queueDelayMs = Stopwatch.GetElapsedTime(oldest, started).TotalMilliseconds;
        if (_batch[0] is PendingPredict)
        {
            await _table.ForwardAsync(
                _rows.AsMemory(0, rows), _inputs.AsMemory(0, rows * architecture.Inputs), _outputs.AsMemory(0, rows * architecture.Outputs));
            _metrics.RecordBatch(_version, rows, queueDelayMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            CompletePredicts(architecture.Outputs);
        }
        else
        {
            await LearnBatchAsync(rows, architecture);
            _metrics.RecordBatch(_version, rows, queueDelayMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private void CompletePredicts(int outputs)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < _batch.Count; i++)
        {
            var request = (PendingPredict)_batch[i];
            request.Completion.TrySetResult(_outputs.AsSpan(i * outputs, outputs).ToArray());
            _metrics.RecordCompleted(_version, request.EnqueuedAt, now);
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
            _rows.AsMemory(0, rows),
            _inputs.AsMemory(0, rows * architecture.Inputs),
            _targets.AsMemory(0, rows * architecture.Outputs),
            spec.ToSettings(),
            _losses.AsMemory(0, rows));

        // Every learned row's parameters in one read, for its unit to persist before it acknowledges. (The rows of a
        // learn batch are distinct: a unit takes one step at a time.)
        var p = architecture.ParameterCount;
        if (_learned.Length < rows * p)
        {
            _learned = new float[Math.Min(_maxBatchSize, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)rows)) * p];
        }

        await _table.ReadUnitsAsync(_rows.AsMemory(0, rows), _learned.AsMemory(0, rows * p));
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < rows; i++)
        {
            var request = (PendingLearn)_batch[i];
            request.Completion.TrySetResult(new LearnedParameters(float.IsFinite(_losses[i]), _losses[i], _learned.AsSpan(i * p, p).ToArray()));
            _metrics.RecordCompleted(_version, request.EnqueuedAt, now);
        }
    }
}

/// <summary>The batcher's model was replaced: the request was not queued, and goes to the model now served.</summary>
internal sealed class BatcherRetiredException() : Exception("The served model was replaced.");
