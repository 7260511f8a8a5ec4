namespace Galaxy.Grains.Labscapes;

/// <summary>
/// One model a labscape serves, on its own table and batcher. Two kinds:
/// <list type="bullet">
/// <item>the <b>initial</b> model: row <c>s</c> is unit <c>s</c>'s own weights, seeded from its id until it learns;</item>
/// <item>a <b>registry version</b>: row 0 holds the version's shared weights, which every unit without weights of its own
/// on this version computes with; a unit that learns gets a private row, a copy of row 0 (copy on write), and the
/// table grows by doubling as private rows are needed, so a labscape whose units never learned holds one row.</item>
/// </list>
/// Inputs arrive raw and are standardised here with the version's preprocessing. An int8 version serves from a
/// <see cref="MasterCopyTable"/>: int8 rows for every forward pass, float master copies for learning.
/// </summary>
internal sealed class ServedModel : IAsyncDisposable
{
    private const int SharedRow = 0;
    private const int FirstPrivateCapacity = 16;

    /// <summary>How many rows of the initial model are seeded and loaded at a time.</summary>
    private const int InitialRowsPerLoad = 256;

    private readonly IComputeBackend _backend;
    private readonly bool _int8;
    private readonly float[]? _offsets;
    private readonly float[]? _scales;
    private readonly long _firstUnitId;
    private readonly int _units;
    private readonly Lock _rowsLock = new();
    private readonly Dictionary<int, int> _privateRows = [];
    private readonly Stack<int> _freeRows = new();
    private int _capacity;
    private float[]? _tickInputs;
    private float[]? _tickOutputs;
    private int _nextRow;

    private ServedModel(
        IComputeBackend backend, string version, MlpArchitecture architecture, LearnSpec learn, IParameterTable table,
        BatchingSettings batching, BatchMetrics metrics, float[]? offsets, float[]? scales, long firstUnitId, int units, bool perUnit,
        bool int8 = false)
    {
        _backend = backend;
        _int8 = int8;
        Version = version;
        Architecture = architecture;
        Learn = learn;
        _offsets = offsets;
        _scales = scales;
        _firstUnitId = firstUnitId;
        _units = units;
        PerUnit = perUnit;
        _capacity = table.Units;
        _nextRow = perUnit ? units : 1;
        Batcher = new RequestBatcher(table, batching, backend.MaxBatchRows, metrics, version);
    }

    /// <summary><c>initial</c>, or the version's key (<c>digits:3</c>).</summary>
    public string Version { get; }

    public MlpArchitecture Architecture { get; }

    /// <summary>How its units learn: the version's loss, the silo's rate and clip.</summary>
    public LearnSpec Learn { get; }

    /// <summary>True for the initial model, where every unit has a row of its own.</summary>
    public bool PerUnit { get; }

    public RequestBatcher Batcher { get; }

    /// <summary>Units computing with their own weights here (for the initial model: those that learned).</summary>
    public int PrivateRows
    {
        get
        {
            lock (_rowsLock)
            {
                return _privateRows.Count;
            }
        }
    }

    /// <summary>
    /// The initial model of <paramref name="units"/> units from <paramref name="firstUnitId"/>: each unit's seeded
    /// weights, or <paramref name="own"/>'s (slot → weights) for those that learned on it.
    /// </summary>
    public static async Task<ServedModel> InitialAsync(
        IComputeBackend backend, MlpArchitecture architecture, LearnSpec learn, long firstUnitId, int units,
        IReadOnlyDictionary<int, float[]> own, BatchingSettings batching, BatchMetrics metrics)
    {
        var p = architecture.ParameterCount;
        var table = backend.CreateTable(architecture, units);

        // Rows go to the table a slice at a time through one small buffer: a whole labscape's rows in a temporary array
        // would be as large as the table itself, garbage the moment it is loaded.
        var slice = Math.Min(units, InitialRowsPerLoad);
        var buffer = new float[slice * p];
        for (var first = 0; first < units; first += slice)
        {
            var count = Math.Min(slice, units - first);
            for (var i = 0; i < count; i++)
            {
                var row = buffer.AsSpan(i * p, p);
                if (own.TryGetValue(first + i, out var weights))
                {
                    weights.CopyTo(row);
                }
                else
                {
                    architecture.InitializeParameters(firstUnitId + first + i, row);
                }
            }

            await table.LoadUnitsAsync(first, buffer.AsMemory(0, count * p));
        }

        var model = new ServedModel(
            backend, LabscapeServing.InitialVersion, architecture, learn, table, batching, metrics, null, null, firstUnitId, units, perUnit: true);
        foreach (var slot in own.Keys)
        {
            model._privateRows[slot] = slot;
        }

        return model;
    }

    /// <summary>A registry version: its shared weights in row 0, and a private row for each unit in <paramref name="own"/>.</summary>
    public static async Task<ServedModel> VersionAsync(
        IComputeBackend backend, ServedVersion version, VersionWeights weights, LearnSpec learn, long firstUnitId, int units,
        IReadOnlyDictionary<int, float[]> own, BatchingSettings batching, BatchMetrics metrics)
    {
        var architecture = version.Shape.ToArchitecture();
        var p = architecture.ParameterCount;
        var capacity = Math.Min(units + 1, Math.Max(FirstPrivateCapacity, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)own.Count + 1)));
        var parameters = new float[(1 + own.Count) * p];
        weights.Parameters.CopyTo(parameters, 0);
        var row = 1;
        var rows = new Dictionary<int, int>();
        foreach (var (slot, unitWeights) in own)
        {
            unitWeights.CopyTo(parameters, row * p);
            rows[slot] = row++;
        }

        var table = CreateTable(backend, architecture, capacity, version.Int8);
        await table.LoadUnitsAsync(0, parameters);
        var model = new ServedModel(
            backend, version.Key, architecture, learn, table, batching, metrics, weights.Offsets, weights.Scales, firstUnitId, units, perUnit: false,
            version.Int8);
        foreach (var (slot, privateRow) in rows)
        {
            model._privateRows[slot] = privateRow;
        }

        model._nextRow = row;
        return model;
    }

    public bool HasOwnRow(int slot)
    {
        lock (_rowsLock)
        {
            return _privateRows.ContainsKey(slot);
        }
    }

    /// <summary>The weights the unit in <paramref name="slot"/> computes with here.</summary>
    public Task<float[]> WeightsAsync(int slot)
    {
        var row = RowOf(slot);
        return Batcher.WithTableAsync(async table =>
        {
            var weights = new float[Architecture.ParameterCount];
            await table.ReadUnitAsync(row, weights);
            return weights;
        });
    }

    public Task<float[]> PredictAsync(int slot, float[] input, TimeSpan? timeout) =>
        Batcher.PredictAsync(RowOf(slot), Preprocess(input), timeout);

    public Task<float[][]> PredictManyAsync(IReadOnlyList<int> slots, IReadOnlyList<float[]> inputs, TimeSpan? timeout) =>
        Batcher.PredictManyAsync(slots.Select(RowOf).ToArray(), inputs.Select(Preprocess).ToArray(), timeout);

    /// <summary>One SGD step of the unit in <paramref name="slot"/>, on a row of its own (made first if it has none).</summary>
    public async Task<LearnedParameters> LearnAsync(int slot, float[] input, float[] target, TimeSpan? timeout)
    {
        var row = await OwnRowAsync(slot);
        return await Batcher.LearnAsync(row, Preprocess(input), target, Learn, timeout);
    }

    /// <summary>
    /// The unit's weights here become <paramref name="weights"/>, or, when null, what it has without weights of its own:
    /// its seeded weights on the initial model, the shared row on a version (its private row is freed).
    /// </summary>
    public async Task SetOwnAsync(int slot, float[]? weights)
    {
        if (weights is not null)
        {
            var row = await OwnRowAsync(slot);
            await Batcher.WithTableAsync(async table =>
            {
                await table.LoadUnitAsync(row, weights);
                return true;
            });
            return;
        }

        if (PerUnit)
        {
            var seeded = new float[Architecture.ParameterCount];
            Architecture.InitializeParameters(_firstUnitId + slot, seeded);
            await Batcher.WithTableAsync(async table =>
            {
                await table.LoadUnitAsync(slot, seeded);
                return true;
            });
            lock (_rowsLock)
            {
                _privateRows.Remove(slot);
            }

            return;
        }

        lock (_rowsLock)
        {
            if (_privateRows.Remove(slot, out var freed))
            {
                _freeRows.Push(freed);
            }
        }
    }

    /// <summary>
    /// One forward pass for each of <paramref name="slots"/>' units, all on <paramref name="input"/> (raw); returns the
    /// sum of the outputs. The initial model serving every unit streams its whole table once, in order.
    /// </summary>
    public Task<double> TickAsync(IReadOnlyList<int> slots, float[] input)
    {
        var x = Preprocess(input);
        var (d, k) = (Architecture.Inputs, Architecture.Outputs);
        return Batcher.WithTableAsync(async table =>
        {
            double sum = 0;
            if (PerUnit && slots.Count == _units)
            {
                // Kept between ticks (the table is ours alone in here): a silo of a million units ticks 256 labscapes,
                // and fresh buffers for each would be 84 MB of garbage a tick among a million activations.
                _tickInputs ??= new float[_units * d];
                _tickOutputs ??= new float[_units * k];
                for (var unit = 0; unit < _units; unit++)
                {
                    x.CopyTo(_tickInputs, unit * d);
                }

                await table.ForwardAllAsync(_tickInputs, _tickOutputs);
                return Sum(_tickOutputs);
            }

            var capacity = _backend.MaxBatchRows;
            for (var first = 0; first < slots.Count; first += capacity)
            {
                var count = Math.Min(capacity, slots.Count - first);
                var rows = new int[count];
                var inputs = new float[count * d];
                var outputs = new float[count * k];
                for (var i = 0; i < count; i++)
                {
                    rows[i] = RowOf(slots[first + i]);
                    x.CopyTo(inputs, i * d);
                }

                await table.ForwardAsync(rows, inputs, outputs);
                sum += Sum(outputs);
            }

            return sum;
        });
    }

    /// <summary>Answers what is queued, refuses the rest (<see cref="BatcherRetiredException"/>), then frees the table.</summary>
    public async ValueTask DisposeAsync()
    {
        await Batcher.RetireAsync();
        await Batcher.DisposeTableAsync();
    }

    private static double Sum(float[] values)
    {
        double sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    private int RowOf(int slot)
    {
        if (PerUnit)
        {
            return slot;
        }

        lock (_rowsLock)
        {
            return _privateRows.TryGetValue(slot, out var row) ? row : SharedRow;
        }
    }

    /// <summary>A version's table: fp32, or for an int8 version int8 rows with float master copies.</summary>
    public static IParameterTable CreateTable(IComputeBackend backend, MlpArchitecture architecture, int units, bool int8) =>
        int8 ? new MasterCopyTable(backend, architecture, units) : backend.CreateTable(architecture, units);

    /// <summary>The raw input standardised as the version expects (a copy); the initial model takes it as it is.</summary>
    private float[] Preprocess(float[] input)
    {
        if (_offsets is null || _scales is null)
        {
            return input;
        }

        var x = new float[input.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (input[i] - _offsets[i]) * _scales[i];
        }

        return x;
    }

    /// <summary>The unit's row of its own: on a version, a copy of the shared row made now if it has none.</summary>
    private async Task<int> OwnRowAsync(int slot)
    {
        if (PerUnit)
        {
            lock (_rowsLock)
            {
                _privateRows[slot] = slot;
            }

            return slot;
        }

        int row;
        bool grow;
        lock (_rowsLock)
        {
            if (_privateRows.TryGetValue(slot, out var existing))
            {
                return existing;
            }

            row = _freeRows.Count > 0 ? _freeRows.Pop() : _nextRow++;
            grow = row >= _capacity;
        }

        if (grow)
        {
            await GrowAsync(row + 1);
        }

        // Copy on write: the unit's first step starts from the version's shared weights.
        await Batcher.WithTableAsync(async table =>
        {
            var shared = new float[Architecture.ParameterCount];
            await table.ReadUnitAsync(SharedRow, shared);
            await table.LoadUnitAsync(row, shared);
            return true;
        });
        lock (_rowsLock)
        {
            _privateRows[slot] = row;
        }

        return row;
    }

    /// <summary>A table of at least <paramref name="rows"/> rows (doubling, at most one per unit and the shared row) with every row copied over.</summary>
    private Task GrowAsync(int rows) => Batcher.ReplaceTableAsync(async table =>
    {
        if (table.Units >= rows)
        {
            return table;
        }

        var capacity = Math.Min(_units + 1, Math.Max(rows, table.Units * 2));
        var grown = CreateTable(_backend, Architecture, capacity, _int8);
        var parameters = new float[table.Units * Architecture.ParameterCount];
        await table.ReadUnitsAsync(0, parameters);
        await grown.LoadUnitsAsync(0, parameters);
        table.Dispose();
        lock (_rowsLock)
        {
            _capacity = capacity;
        }

        return grown;
    });
}
