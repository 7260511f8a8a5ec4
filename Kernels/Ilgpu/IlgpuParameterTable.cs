using ILGPU;
using ILGPU.Runtime;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// A parameter table resident in accelerator memory. Each operation validates its arguments on the caller's thread,
/// then runs on the backend's executor: stage the batch through pinned buffers, one kernel launch, copy results back.
/// </summary>
internal sealed class IlgpuParameterTable : IParameterTable
{
    private readonly IlgpuBackend _backend;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly BatchValidator _validator;
    private readonly LearnSchedule _schedule;
    private MemoryBuffer1D<uint, Stride1D.Dense>? _prunedWords;

    /// <summary>Runs on the executor thread.</summary>
    public IlgpuParameterTable(IlgpuBackend backend, MlpArchitecture architecture, int units)
    {
        _backend = backend;
        Architecture = architecture;
        Units = units;
        _parameters = backend.Accelerator.Allocate1D<float>((long)units * architecture.ParameterCount);
        _parameters.View.MemSetToZero(backend.Stream);
        backend.Stream.Synchronize();
        _validator = new BatchValidator(architecture, units, backend.MaxBatchRows);
        _schedule = new LearnSchedule(units, backend.MaxBatchRows);
    }

    public MlpArchitecture Architecture { get; }

    public int Units { get; }

    private int P => Architecture.ParameterCount;

    private int WordsPerUnit => PruningMask.WordsPerUnit(Architecture);

    private StagingBuffers Staging => _backend.Staging;

    private AcceleratorStream Stream => _backend.Stream;

    public Task LoadUnitAsync(int slot, ReadOnlyMemory<float> parameters) => LoadUnitsAsync(slot, parameters);

    public Task ReadUnitAsync(int slot, Memory<float> destination) => ReadUnitsAsync(slot, destination);

    public Task LoadUnitsAsync(int firstSlot, ReadOnlyMemory<float> parameters)
    {
        var count = _validator.UnitRange(firstSlot, parameters.Length, nameof(parameters));
        _validator.Parameters(parameters.Span, nameof(parameters));
        return _backend.Executor.RunAsync(() =>
        {
            _parameters.View.SubView(firstSlot * P, count * P).CopyFromCPU(Stream, parameters.Span);
            _prunedWords?.View.SubView(firstSlot * WordsPerUnit, count * WordsPerUnit).MemSetToZero(Stream);
            Stream.Synchronize();
        });
    }

    public Task ReadUnitsAsync(int firstSlot, Memory<float> destination)
    {
        var count = _validator.UnitRange(firstSlot, destination.Length, nameof(destination));
        return _backend.Executor.RunAsync(() =>
        {
            _parameters.View.SubView(firstSlot * P, count * P).CopyToCPU(Stream, destination.Span);
            Stream.Synchronize();
        });
    }

    public Task ReadUnitsAsync(ReadOnlyMemory<int> slots, Memory<float> destination)
    {
        _validator.Gather(slots.Span, destination.Length);
        return _backend.Executor.RunAsync(() =>
        {
            // Every row's copy is queued on the stream; one synchronisation waits for them all.
            for (var row = 0; row < slots.Length; row++)
            {
                _parameters.View.SubView((long)slots.Span[row] * P, P).CopyToCPU(Stream, destination.Span.Slice(row * P, P));
            }

            Stream.Synchronize();
        });
    }

    public Task ForwardAsync(ReadOnlyMemory<int> slots, ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.Forward(slots.Span, inputs.Span, outputs.Length);
        if (slots.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return _backend.Executor.RunAsync(() =>
        {
            var slotsView = Staging.Slots.Upload(Stream, slots.Span);
            var inputsView = Staging.Inputs.Upload(Stream, inputs.Span);
            _backend.Kernels.ForwardRows(
                Rows(slots.Length), Architecture, _parameters.View, slotsView, inputsView, Staging.Outputs.View(outputs.Length));
            Staging.Outputs.Download(Stream, outputs.Span);
        });
    }

    public Task ForwardAllAsync(ReadOnlyMemory<float> inputs, Memory<float> outputs)
    {
        _validator.ForwardAll(inputs.Span, outputs.Length);
        var d = Architecture.Inputs;
        var k = Architecture.Outputs;
        return _backend.Executor.RunAsync(() =>
        {
            // One launch per MaxBatchRows units (a whole 4,096-unit labscape by default): the staging buffers' size.
            for (var first = 0; first < Units; first += Staging.MaxRows)
            {
                var count = Math.Min(Staging.MaxRows, Units - first);
                var inputsView = Staging.Inputs.Upload(Stream, inputs.Span.Slice(first * d, count * d));
                _backend.Kernels.ForwardRange(
                    Rows(count), Architecture, _parameters.View, first, inputsView, Staging.Outputs.View(count * k));
                Staging.Outputs.Download(Stream, outputs.Span.Slice(first * k, count * k));
            }
        });
    }

    public Task<LearnResult> LearnStepAsync(
        ReadOnlyMemory<int> slots,
        ReadOnlyMemory<float> inputs,
        ReadOnlyMemory<float> targets,
        LearnSettings settings,
        Memory<float> losses,
        ReadOnlyMemory<float> learningRates = default)
    {
        _validator.Learn(slots.Span, inputs.Span, targets.Span, settings, losses.Length, learningRates.Span);
        if (slots.IsEmpty)
        {
            return Task.FromResult(new LearnResult(0));
        }

        return _backend.Executor.RunAsync(() =>
        {
            _schedule.Build(slots.Span);
            var segments = _schedule.SegmentCount;
            _backend.Kernels.LearnSegments(
                Rows(segments),
                Architecture,
                new LearnKernelSettings(settings, _prunedWords is null ? 0 : WordsPerUnit, perRowRates: !learningRates.IsEmpty),
                _parameters.View,
                _prunedWords?.View ?? Staging.Mask.View(1),
                Staging.Slots.Upload(Stream, slots.Span),
                learningRates.IsEmpty ? Staging.LearningRates.View(1) : Staging.LearningRates.Upload(Stream, learningRates.Span),
                Staging.Inputs.Upload(Stream, inputs.Span),
                Staging.Targets.Upload(Stream, targets.Span),
                Staging.Order.Upload(Stream, _schedule.Order.AsSpan(0, slots.Length)),
                Staging.SegmentStarts.Upload(Stream, _schedule.SegmentStarts.AsSpan(0, segments + 1)),
                Staging.Losses.View(losses.Length));
            Staging.Losses.Download(Stream, losses.Span);
            var rejected = 0;
            foreach (var loss in losses.Span)
            {
                rejected += float.IsNaN(loss) ? 1 : 0;
            }

            return new LearnResult(rejected);
        });
    }

    public Task ApplyPruningMaskAsync(ReadOnlyMemory<int> slots, PruningMask mask)
    {
        _validator.PruningMask(slots.Span, mask);
        if (slots.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return _backend.Executor.RunAsync(() =>
        {
            if (_prunedWords is null)
            {
                _prunedWords = _backend.Accelerator.Allocate1D<uint>((long)Units * WordsPerUnit);
                _prunedWords.View.MemSetToZero(Stream);
            }

            _backend.Kernels.ApplyMask(
                Rows(slots.Length),
                Architecture,
                _parameters.View,
                _prunedWords.View,
                Staging.Slots.Upload(Stream, slots.Span),
                Staging.Mask.Upload(Stream, mask.PrunedWords));
            Stream.Synchronize();
        });
    }

    public Task<IQuantizedTable> QuantizeAsync()
    {
        TableSize.EnsureValidQuantized(Architecture, Units);
        return _backend.Executor.RunAsync<IQuantizedTable>(() =>
        {
            var parameters = new float[(long)Units * P];
            _parameters.View.CopyToCPU(Stream, parameters);
            Stream.Synchronize();
            var (weights, floats) = IlgpuQuantizedTable.Quantize(Architecture, parameters, Units);
            var quantized = new IlgpuQuantizedTable(_backend, Architecture, Units);
            quantized.Upload(0, Units, weights, floats);
            return quantized;
        });
    }

    public void Dispose() => _backend.Executor.Run(() =>
    {
        _parameters.Dispose();
        _prunedWords?.Dispose();
        return true;
    });

    /// <summary>One group per row, one warp per group.</summary>
    private KernelConfig Rows(int rows) => new(rows, _backend.GroupSize);
}
