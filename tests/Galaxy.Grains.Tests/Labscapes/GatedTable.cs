namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>What one kernel launch of a batcher computed: predicts or a learn step, on which table rows, in batch order.</summary>
internal sealed record Launch(string Kind, int[] Rows);

/// <summary>
/// A SIMD table that records every launch and can hold launches at the door, so that a test fills the batcher's queue
/// behind a batch in flight and sees exactly how the queue is cut into batches, without waiting on a clock.
/// </summary>
internal sealed class GatedTable(IParameterTable inner) : IParameterTable
{
    public const string Predict = "predict";
    public const string Learn = "learn";

    private readonly Lock _lock = new();
    private readonly List<Launch> _launches = [];
    private TaskCompletionSource _open = Opened();
    private TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MlpArchitecture Architecture => inner.Architecture;

    public int Units => inner.Units;

    /// <summary>The table itself, for a test's own reads and launches, which are not recorded or held.</summary>
    public IParameterTable Inner => inner;

    public int Disposals { get; private set; }

    public IReadOnlyList<Launch> Launches
    {
        get
        {
            lock (_lock)
            {
                return [.. _launches];
            }
        }
    }

    /// <summary>Completes when a held launch is waiting at the door.</summary>
    public Task LaunchWaiting => _waiting.Task;

    /// <summary>Launches wait from now on until <see cref="Release"/>.</summary>
    public void Hold()
    {
        _waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _open.TrySetResult();

    public async Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        await EnterAsync(Predict, slots);
        await inner.ForwardAsync(slots, inputs, outputs);
    }

    public async Task<LearnResult> LearnStepAsync(
        ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, ReadOnlyMemory<float> targets, LearnSettings settings,
        Memory<float> losses, ReadOnlyMemory<float> learningRates = default)
    {
        await EnterAsync(Learn, slots);
        return await inner.LearnStepAsync(slots, inputs, targets, settings, losses, learningRates);
    }

    public Task LoadUnitAsync(int slot, ReadOnlyMemory<float> parameters) => inner.LoadUnitAsync(slot, parameters);

    public Task ReadUnitAsync(int slot, Memory<float> destination) => inner.ReadUnitAsync(slot, destination);

    public Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters) => inner.LoadUnitsAsync(firstSlot, parameters);

    public Task ReadUnitsAsync(int firstSlot, Memory<float> destination) => inner.ReadUnitsAsync(firstSlot, destination);

    public Task ReadUnitsAsync(ReadOnlyMemory<int> slots, Memory<float> destination) => inner.ReadUnitsAsync(slots, destination);

    public Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs) => inner.ForwardAllAsync(inputs, outputs);

    public Task ApplyPruningMaskAsync(ReadOnlyMemory<int> slots, PruningMask mask) => inner.ApplyPruningMaskAsync(slots, mask);

    public Task<IQuantizedTable> QuantizeAsync() => inner.QuantizeAsync();

    public void Dispose()
    {
        Disposals++;
        inner.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    private Task EnterAsync(string kind, ReadOnlyMemory<int> slots)
    {
        lock (_lock)
        {
            _launches.Add(new Launch(kind, slots.ToArray()));
        }

        _waiting.TrySetResult();
        return _open.Task;
    }
}
