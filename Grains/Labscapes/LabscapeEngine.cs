using System.Diagnostics;

namespace Galaxy.Grains.Labscapes;

/// <summary>
/// A labscape's compute, in its silo's memory: the models it serves (<see cref="LabscapeServing"/>: a stable one and
/// perhaps a canary), each on its own table and batcher, and what it knows of its units' own weights. Unit grains on the
/// same silo call it directly (<see cref="LocalLabscapes"/>), so a predict costs one grain call.
/// </summary>
/// <remarks>
/// <para>
/// One writer: a unit's weights change only here, in a learn step or a restore its unit grain asks for, and only the
/// unit grain persists them. A deployment changes what the labscape serves (<see cref="ServeAsync"/>), never a unit's
/// weights: units without weights of their own on the version served compute with its shared row.
/// </para>
/// <para>
/// Learns and restores run inside the <see cref="ServingGate"/>; a switch of what is served runs alone, so the models it
/// builds hold every unit's latest weights. A predict is answered by the models in place when it arrives: during a
/// switch, by the old or the new version, never refused (a request that meets a retired batcher goes to the new model).
/// </para>
/// </remarks>
internal sealed class LabscapeEngine : IUnitEngine, IAsyncDisposable
{
    private readonly EngineParts _parts;
    private readonly long _firstUnitId;
    private readonly int _units;
    private readonly int[] _allSlots;
    private readonly long[] _revisions;
    private readonly OwnWeights?[] _own;
    private readonly OwnWeights?[] _dormant;
    private readonly ServingGate _gate = new();
    private Models _models;
    private bool _disposed;

    private LabscapeEngine(EngineParts parts, long firstUnitId, int units, Models models, long[] revisions, OwnWeights?[] own, OwnWeights?[] dormant)
    {
        _parts = parts;
        _firstUnitId = firstUnitId;
        _units = units;
        _allSlots = Enumerable.Range(0, units).ToArray();
        _models = models;
        _revisions = revisions;
        _own = own;
        _dormant = dormant;
    }

    public bool IsLive => !Volatile.Read(ref _disposed);

    public LabscapeServing Serving => Volatile.Read(ref _models).Record;

    public int QueueLength => Volatile.Read(ref _models).All.Sum(model => model.Batcher.QueueLength);

    /// <summary>An engine serving <paramref name="serving"/>, with the own weights of <paramref name="units"/>' persisted states.</summary>
    public static async Task<LabscapeEngine> CreateAsync(
        EngineParts parts, long firstUnitId, int units, LabscapeServing serving, IEnumerable<UnitState> persisted)
    {
        var revisions = new long[units];
        var own = new OwnWeights?[units];
        var dormant = new OwnWeights?[units];
        foreach (var unit in persisted)
        {
            var slot = (int)(unit.UnitId - firstUnitId);
            revisions[slot] = unit.Revision;
            own[slot] = unit.Own;
            dormant[slot] = unit.Dormant;
        }

        var models = await BuildAsync(parts, firstUnitId, units, serving, own, dormant);
        return new LabscapeEngine(parts, firstUnitId, units, models, revisions, own, dormant);
    }

    public async Task<EngineReply<ServedOutput>> PredictAsync(int slot, long revision, float[] input, TimeSpan? timeout)
    {
        if (Volatile.Read(ref _revisions[slot]) != revision)
        {
            return EngineReply<ServedOutput>.StaleReply;
        }

        while (true)
        {
            var model = ModelOf(slot);
            UnitInput.EnsureValid(input, model.Architecture.Inputs, "input");
            try
            {
                return EngineReply<ServedOutput>.Of(new ServedOutput(await model.PredictAsync(slot, input, timeout), model.Version));
            }
            catch (BatcherRetiredException) when (IsLive)
            {
                // A switch retired the model between the look-up and the queue: the new one answers.
            }
        }
    }

    public async Task<EngineReply<LearnOutcome>> LearnAsync(int slot, long revision, float[] input, float[] target, TimeSpan? timeout)
    {
        using var entry = await _gate.EnterSharedAsync();
        if (_revisions[slot] != revision)
        {
            return EngineReply<LearnOutcome>.StaleReply;
        }

        var model = ModelOf(slot);
        UnitInput.EnsureValid(input, model.Architecture.Inputs, "input");
        UnitInput.EnsureValidTarget(target, model.Architecture.Outputs, model.Learn.Loss);
        var hadOwn = model.HasOwnRow(slot);
        var learned = await model.LearnAsync(slot, input, target, timeout);
        if (!learned.Applied)
        {
            if (!hadOwn)
            {
                await model.SetOwnAsync(slot, null);
            }

            return EngineReply<LearnOutcome>.Of(new LearnOutcome(false, learned.Loss, model.Version, _own[slot], _dormant[slot]));
        }

        var own = new OwnWeights(model.Version, model.Architecture.ToShape(), learned.Parameters);
        var dormant = _own[slot] is { } previous && previous.Version != model.Version ? previous : _dormant[slot];
        (_own[slot], _dormant[slot]) = (own, dormant);
        Volatile.Write(ref _revisions[slot], revision + 1);
        _parts.Metrics.RecordLearn();
        return EngineReply<LearnOutcome>.Of(new LearnOutcome(true, learned.Loss, model.Version, own, dormant));
    }

    public async Task<EngineReply<UnitServing>> DescribeAsync(int slot, long revision)
    {
        if (Volatile.Read(ref _revisions[slot]) != revision)
        {
            return EngineReply<UnitServing>.StaleReply;
        }

        while (true)
        {
            var model = ModelOf(slot);
            try
            {
                var weights = await model.WeightsAsync(slot);
                return EngineReply<UnitServing>.Of(new UnitServing(model.Version, model.Architecture.ToShape(), model.HasOwnRow(slot), weights));
            }
            catch (BatcherRetiredException) when (IsLive)
            {
                // The model was retired while the read waited: the new one answers.
            }
        }
    }

    public async Task SyncAsync(int slot, long revision, OwnWeights? own, OwnWeights? dormant)
    {
        using var entry = await _gate.EnterSharedAsync();
        (_own[slot], _dormant[slot]) = (own, dormant);
        var model = ModelOf(slot);
        await model.SetOwnAsync(slot, OwnOn(slot, model.Version)?.Parameters);
        Volatile.Write(ref _revisions[slot], revision);
    }

    /// <summary>Serves <paramref name="serving"/> from now on: new models built from every unit's weights, the old ones drained and freed.</summary>
    public Task ServeAsync(LabscapeServing serving) => _gate.ExclusiveAsync(async () =>
    {
        var next = await BuildAsync(_parts, _firstUnitId, _units, serving, _own, _dormant);
        var previous = Interlocked.Exchange(ref _models, next);
        await previous.DisposeAsync();
    });

    /// <summary>Forward passes for many of the labscape's units (slots), each with the weights it computes with now.</summary>
    public async Task<float[][]> PredictManyAsync(IReadOnlyList<int> slots, IReadOnlyList<float[]> inputs, TimeSpan? timeout)
    {
        while (true)
        {
            var models = Volatile.Read(ref _models);
            var outputs = new float[slots.Count][];
            try
            {
                foreach (var (model, rows) in models.ByModel([.. Enumerable.Range(0, slots.Count)], i => _firstUnitId + slots[i]))
                {
                    foreach (var row in rows)
                    {
                        UnitInput.EnsureValid(inputs[row], model.Architecture.Inputs, $"input of unit {_firstUnitId + slots[row]}");
                    }

                    var answers = await model.PredictManyAsync(rows.Select(i => slots[i]).ToArray(), rows.Select(i => inputs[i]).ToArray(), timeout);
                    for (var i = 0; i < rows.Length; i++)
                    {
                        outputs[rows[i]] = answers[i];
                    }
                }

                return outputs;
            }
            catch (BatcherRetiredException) when (IsLive)
            {
                // Served anew while queueing: ask the new models.
            }
        }
    }

    /// <summary>
    /// One forward pass for every unit whose model takes <paramref name="input"/>'s width, all on that input; units whose
    /// model takes another width are counted as skipped.
    /// </summary>
    public async Task<TickSummary> TickAsync(float[] input)
    {
        while (true)
        {
            try
            {
                return await TickOnceAsync(input);
            }
            catch (BatcherRetiredException) when (IsLive)
            {
                // Served anew during the tick: tick again on the new models.
            }
        }
    }

    private async Task<TickSummary> TickOnceAsync(float[] input)
    {
        var models = Volatile.Read(ref _models);
        var started = Stopwatch.GetTimestamp();
        var (computed, skipped, sum) = (0, 0, 0.0);
        foreach (var (model, slots) in models.ByModel(_allSlots, slot => _firstUnitId + slot))
        {
            if (model.Architecture.Inputs != input.Length)
            {
                skipped += slots.Length;
                continue;
            }

            sum += await model.TickAsync(slots, input);
            computed += slots.Length;
        }

        return new TickSummary(computed, Stopwatch.GetElapsedTime(started).TotalMilliseconds, sum) { Skipped = skipped };
    }

    /// <summary>
    /// Answers what is queued and frees the tables. A request that reaches it afterwards (its unit looked it up just
    /// before) is refused with <see cref="BatcherRetiredException"/>: no new model will take it, so asking again would spin.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, true);
        await Volatile.Read(ref _models).DisposeAsync();
    }

    private ServedModel ModelOf(int slot) => Volatile.Read(ref _models).Of(_firstUnitId + slot);

    private OwnWeights? OwnOn(int slot, string version) =>
        _own[slot]?.Version == version ? _own[slot] : _dormant[slot]?.Version == version ? _dormant[slot] : null;

    private static async Task<Models> BuildAsync(
        EngineParts parts, long firstUnitId, int units, LabscapeServing serving, OwnWeights?[] own, OwnWeights?[] dormant)
    {
        var stable = await BuildModelAsync(parts, firstUnitId, units, serving.Stable, Own(serving.StableKey));
        var canary = serving.Canary is { } version ? await BuildModelAsync(parts, firstUnitId, units, version, Own(version.Key)) : null;
        return new Models(serving, stable, canary, firstUnitId, serving.CanarySlots(firstUnitId, units));

        // Every unit's own weights on the version: its current ones or its dormant ones.
        Dictionary<int, float[]> Own(string version)
        {
            var weights = new Dictionary<int, float[]>();
            for (var slot = 0; slot < units; slot++)
            {
                if (own[slot]?.Version == version)
                {
                    weights[slot] = own[slot]!.Parameters;
                }
                else if (dormant[slot]?.Version == version)
                {
                    weights[slot] = dormant[slot]!.Parameters;
                }
            }

            return weights;
        }
    }

    private static async Task<ServedModel> BuildModelAsync(
        EngineParts parts, long firstUnitId, int units, ServedVersion? version, Dictionary<int, float[]> own)
    {
        if (version is null)
        {
            return await ServedModel.InitialAsync(
                parts.Backend, parts.InitialShape.ToArchitecture(), parts.Learn, firstUnitId, units, own, parts.Batching, parts.Metrics);
        }

        var weights = await parts.Versions.GetAsync(version);
        var learn = parts.Learn with { Loss = version.Loss };
        return await ServedModel.VersionAsync(parts.Backend, version, weights, learn, firstUnitId, units, own, parts.Batching, parts.Metrics);
    }

    /// <summary>The models serving at one moment, with the record they serve and the slots on the canary by it.</summary>
    private sealed record Models(LabscapeServing Record, ServedModel Stable, ServedModel? Canary, long FirstUnitId, bool[] OnCanary)
        : IAsyncDisposable
    {
        public IEnumerable<ServedModel> All => Canary is null ? [Stable] : [Stable, Canary];

        public ServedModel Of(long unitId) => Canary is not null && OnCanary[unitId - FirstUnitId] ? Canary : Stable;

        /// <summary>
        /// <paramref name="indexes"/> grouped by the model serving the unit at each (<paramref name="unitAt"/>); without a
        /// canary they are all the stable model's, with nothing to look up unit by unit.
        /// </summary>
        public IEnumerable<(ServedModel Model, int[] Indexes)> ByModel(int[] indexes, Func<int, long> unitAt) =>
            Canary is null ? [(Stable, indexes)] : indexes.GroupBy(i => Of(unitAt(i))).Select(group => (group.Key, group.ToArray()));

        public async ValueTask DisposeAsync()
        {
            foreach (var model in All)
            {
                await model.DisposeAsync();
            }
        }
    }
}

/// <summary>What every engine of a silo shares: the backend, batching and learning settings, version weights, metrics.</summary>
internal sealed record EngineParts(
    IComputeBackend Backend, ModelShape InitialShape, LearnSpec Learn, BatchingSettings Batching, VersionWeightsCache Versions, BatchMetrics Metrics);
