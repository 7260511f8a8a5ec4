namespace Galaxy.Kernels;

/// <summary>
/// A table that serves int8 and learns in fp32: every unit has a float master copy of its weights (an
/// <see cref="IParameterTable"/> row) and an int8 row quantised from it (an <see cref="IQuantizedTable"/> row). Forward
/// passes and the tick run on the int8 rows; a learn step runs on the master copies, exactly as on an fp32 table, and
/// then quantises each row it changed again, so the next forward pass uses the learned weights in int8. Reads return the
/// master copies; loads and pruning masks change both. This is what a labscape serving an int8 version holds.
/// </summary>
/// <remarks>
/// Learning on the int8 weights themselves would lose every step smaller than half a quantisation step (a 254th of a
/// row's largest weight), which is most of them at the usual learning rates: hence the master copy. A unit that never
/// learns costs its int8 row plus a float row it shares with the other units of its version.
/// </remarks>
public sealed class MasterCopyTable : IParameterTable
{
    private readonly IParameterTable _master;
    private readonly IQuantizedTable _int8;
    private float[] _changed = [];
    private int[] _changedSlots = [];

    public MasterCopyTable(IComputeBackend backend, MlpArchitecture architecture, int units)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _master = backend.CreateTable(architecture, units);
        try
        {
            _int8 = backend.CreateQuantizedTable(architecture, units);
        }
        catch
        {
            _master.Dispose();
            throw;
        }
    }

    public MlpArchitecture Architecture => _master.Architecture;

    public int Units => _master.Units;

    private int P => Architecture.ParameterCount;

    public Task LoadUnitAsync(int slot, ReadOnlyMemory<float> parameters) => LoadUnitsAsync(slot, parameters);

    public async Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters)
    {
        await _master.LoadUnitsAsync(firstSlot, parameters);
        await _int8.LoadUnitsAsync(firstSlot, parameters);
    }

    public Task ReadUnitAsync(int slot, Memory<float> destination) => _master.ReadUnitAsync(slot, destination);

    public Task ReadUnitsAsync(int firstSlot, Memory<float> destination) => _master.ReadUnitsAsync(firstSlot, destination);

    public Task ReadUnitsAsync(ReadOnlyMemory<int> slots, Memory<float> destination) => _master.ReadUnitsAsync(slots, destination);

    /// <summary>The int8 forward pass (<see cref="IQuantizedTable"/>).</summary>
    public Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs) =>
        _int8.ForwardAsync(slots, inputs, outputs);

    /// <summary>The int8 tick.</summary>
    public Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs) => _int8.ForwardAllAsync(inputs, outputs);

    /// <summary>The fp32 step on the master copies (<see cref="IParameterTable.LearnStepAsync"/>), then the changed rows quantised again.</summary>
    public async Task<LearnResult> LearnStepAsync(
        ReadOnlyMemory<int> slots,
        ReadOnlyMemory<float> inputs,
        ReadOnlyMemory<float> targets,
        LearnSettings settings,
        Memory<float> losses,
        ReadOnlyMemory<float> learningRates = default)
    {
        var result = await _master.LearnStepAsync(slots, inputs, targets, settings, losses, learningRates);
        await RequantizeAsync(slots);
        return result;
    }

    public async Task ApplyPruningMaskAsync(ReadOnlyMemory<int> slots, PruningMask mask)
    {
        await _master.ApplyPruningMaskAsync(slots, mask);
        await RequantizeAsync(slots);
    }

    public Task<IQuantizedTable> QuantizeAsync() => _master.QuantizeAsync();

    public void Dispose()
    {
        _master.Dispose();
        _int8.Dispose();
    }

    /// <summary>Each distinct slot's master row read back (one gather) and loaded into its int8 row.</summary>
    private async Task RequantizeAsync(ReadOnlyMemory<int> slots)
    {
        var distinct = slots.Span.ToArray().Distinct().ToArray();
        if (_changedSlots.Length < distinct.Length)
        {
            _changedSlots = new int[distinct.Length];
            _changed = new float[distinct.Length * P];
        }

        distinct.CopyTo(_changedSlots, 0);
        await _master.ReadUnitsAsync(_changedSlots.AsMemory(0, distinct.Length), _changed.AsMemory(0, distinct.Length * P));
        for (var i = 0; i < distinct.Length; i++)
        {
            await _int8.LoadUnitsAsync(distinct[i], _changed.AsMemory(i * P, P));
        }
    }
}
