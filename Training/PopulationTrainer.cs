using System.Diagnostics;
using Galaxy.Kernels;

namespace Galaxy.Training;

/// <summary>
/// Trains every candidate of a recipe at once: candidate i is row i of one parameter table, and each step is one learn
/// launch in which every candidate takes its next samples, so a sweep of hundreds of models costs about as many
/// launches as one model does. The rows of one candidate in a launch are applied in order (the kernels' contract for a
/// repeated slot), so a candidate follows exactly the per-sample SGD path it would follow alone, whatever the population.
/// </summary>
/// <remarks>
/// Not thread-safe: one epoch at a time. Each epoch ends with a validation pass of every candidate, also batched.
/// </remarks>
public sealed class PopulationTrainer : IDisposable
{
    private readonly IComputeBackend _backend;
    private readonly IParameterTable _table;
    private readonly TrainingSet _set;
    private readonly TrainingRecipe _recipe;
    private readonly LearnSettings _settings;
    private readonly ITeacher? _teacher;

    // Rows each candidate brings to one launch: as many as the backend takes, so launches are few and full.
    private readonly int _rowsPerCandidate;
    private readonly int[] _slots;
    private readonly float[] _inputs;
    private readonly float[] _targets;
    private readonly float[] _rates;
    private readonly float[] _losses;
    private readonly int[][] _orders;
    private readonly DeterministicRandom[] _random;
    private long _deviceTicks;
    private double _progress;

    private PopulationTrainer(IComputeBackend backend, TrainingSet set, TrainingRecipe recipe, IReadOnlyList<Candidate> candidates, ITeacher? teacher)
    {
        _backend = backend;
        _set = set;
        _recipe = recipe;
        _teacher = teacher;
        Candidates = candidates;
        Architecture = set.Architecture(recipe.Hidden);
        _settings = new LearnSettings(recipe.Loss, LearningRate: 1f, recipe.GradientClip);
        _table = backend.CreateTable(Architecture, candidates.Count);

        _rowsPerCandidate = Math.Clamp(backend.MaxBatchRows / candidates.Count, 1, set.Train.Rows);
        var rows = _rowsPerCandidate * candidates.Count;
        _slots = new int[rows];
        _inputs = new float[rows * Architecture.Inputs];
        _targets = new float[rows * Architecture.Outputs];
        _rates = new float[rows];
        _losses = new float[rows];
        _orders = candidates.Select(_ => new int[set.Train.Rows]).ToArray();
        _random = new DeterministicRandom[candidates.Count];
    }

    /// <summary>The candidates, in row order.</summary>
    public IReadOnlyList<Candidate> Candidates { get; }

    public MlpArchitecture Architecture { get; }

    public int EpochsDone { get; private set; }

    /// <summary>Time the backend spent on this trainer's launches so far (this process only).</summary>
    public TimeSpan DeviceTime => TimeSpan.FromTicks(Interlocked.Read(ref _deviceTicks));

    /// <summary>Epochs done out of the recipe's, counting the current epoch's steps; safe to read from any thread.</summary>
    public double Progress => Volatile.Read(ref _progress);

    /// <summary>
    /// A population of <paramref name="candidates"/> (default: the recipe's whole grid), each starting from the Xavier
    /// weights its seed draws. With a <paramref name="teacher"/>, every launch's targets are the teacher's to set
    /// (distillation); the inputs, their augmentation and the schedule stay the recipe's.
    /// </summary>
    /// <exception cref="ArgumentException">The recipe is invalid, or the backend cannot hold a launch of every candidate.</exception>
    public static async Task<PopulationTrainer> CreateAsync(
        IComputeBackend backend, TrainingSet set, TrainingRecipe recipe, IReadOnlyList<Candidate>? candidates = null, ITeacher? teacher = null)
    {
        if (recipe.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(recipe));
        }

        candidates ??= recipe.Candidates();
        if (candidates.Count == 0 || candidates.Count > backend.MaxBatchRows)
        {
            throw new ArgumentException(
                $"{candidates.Count} candidates: a population needs 1…{backend.MaxBatchRows} (the backend's rows per launch).", nameof(candidates));
        }

        var trainer = new PopulationTrainer(backend, set, recipe, candidates, teacher);
        var p = trainer.Architecture.ParameterCount;
        var initial = new float[candidates.Count * p];
        for (var row = 0; row < candidates.Count; row++)
        {
            trainer.Architecture.InitializeParameters(candidates[row].Seed, initial.AsSpan(row * p, p));
        }

        await trainer._table.LoadUnitsAsync(0, initial);
        return trainer;
    }

    /// <summary>One epoch: every candidate takes one step per training sample, then all are scored on validation.</summary>
    public async Task<EpochReport> RunEpochAsync(CancellationToken cancellationToken = default)
    {
        if (EpochsDone >= _recipe.Epochs)
        {
            throw new InvalidOperationException($"All {_recipe.Epochs} epochs are done.");
        }

        var started = Stopwatch.GetTimestamp();
        var deviceBefore = DeviceTime;
        var epoch = EpochsDone;
        var scheduleFactor = _recipe.ScheduleFactor(epoch);
        Parallel.For(0, Candidates.Count, row =>
        {
            _random[row] = DeterministicRandom.ForEpoch(Candidates[row].Seed, epoch);
            var order = _orders[row];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            _random[row].Shuffle(order);
        });

        var trainRows = _set.Train.Rows;
        var lossSums = new double[Candidates.Count];
        var lossCounts = new int[Candidates.Count];
        var rejected = new int[Candidates.Count];
        for (var first = 0; first < trainRows; first += _rowsPerCandidate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_rowsPerCandidate, trainRows - first);
            Parallel.For(0, Candidates.Count, row => FillRows(row, first, count, scheduleFactor));

            var rows = count * Candidates.Count;
            if (_teacher is { } teacher)
            {
                await TimedAsync(() => teacher.TeachAsync(_inputs.AsMemory(0, rows * Architecture.Inputs), _targets.AsMemory(0, rows * Architecture.Outputs)));
            }

            await TimedAsync(() => _table.LearnStepAsync(
                _slots.AsMemory(0, rows),
                _inputs.AsMemory(0, rows * Architecture.Inputs),
                _targets.AsMemory(0, rows * Architecture.Outputs),
                _settings,
                _losses.AsMemory(0, rows),
                _rates.AsMemory(0, rows)));
            for (var i = 0; i < rows; i++)
            {
                var row = i / count;
                if (float.IsNaN(_losses[i]))
                {
                    rejected[row]++;
                }
                else
                {
                    lossSums[row] += _losses[i];
                    lossCounts[row]++;
                }
            }

            Volatile.Write(ref _progress, (epoch + (double)(first + count) / trainRows) / _recipe.Epochs);
        }

        var (validationLoss, validationAccuracy) = await ValidateAsync(cancellationToken);
        var scores = new CandidateScore[Candidates.Count];
        for (var row = 0; row < scores.Length; row++)
        {
            scores[row] = new CandidateScore(
                lossCounts[row] > 0 ? lossSums[row] / lossCounts[row] : double.NaN, validationLoss[row], validationAccuracy[row], rejected[row]);
        }

        EpochsDone++;
        return new EpochReport(
            EpochsDone, scores, EpochReport.BestOf(scores), (long)trainRows * Candidates.Count,
            Stopwatch.GetElapsedTime(started), DeviceTime - deviceBefore);
    }

    /// <summary>Every candidate's parameters now, to resume from with <see cref="RestoreAsync"/>.</summary>
    public async Task<PopulationCheckpoint> CheckpointAsync()
    {
        var parameters = new float[Candidates.Count * Architecture.ParameterCount];
        await _table.ReadUnitsAsync(0, parameters);
        return new PopulationCheckpoint(EpochsDone, parameters);
    }

    /// <summary>Puts the population back where <paramref name="checkpoint"/> found it (same recipe and candidates).</summary>
    public async Task RestoreAsync(PopulationCheckpoint checkpoint)
    {
        if (checkpoint.EpochsDone is < 0 || checkpoint.EpochsDone > _recipe.Epochs
            || checkpoint.Parameters.Length != Candidates.Count * Architecture.ParameterCount)
        {
            throw new ArgumentException("The checkpoint is not of this population.", nameof(checkpoint));
        }

        await _table.LoadUnitsAsync(0, checkpoint.Parameters);
        EpochsDone = checkpoint.EpochsDone;
        Volatile.Write(ref _progress, (double)EpochsDone / _recipe.Epochs);
    }

    /// <summary>The packed parameters of the candidate in <paramref name="row"/>.</summary>
    public async Task<float[]> WeightsAsync(int row)
    {
        var weights = new float[Architecture.ParameterCount];
        await _table.ReadUnitAsync(row, weights);
        return weights;
    }

    public void Dispose() => _table.Dispose();

    /// <summary>Candidate <paramref name="row"/>'s samples first … first+count of its order, augmented, into its rows of the launch.</summary>
    private void FillRows(int row, int first, int count, float scheduleFactor)
    {
        var candidate = Candidates[row];
        var train = _set.Train;
        var (d, k) = (Architecture.Inputs, Architecture.Outputs);
        ref var random = ref _random[row];
        for (var i = 0; i < count; i++)
        {
            var batchRow = row * count + i;
            var sample = _orders[row][first + i];
            var x = _inputs.AsSpan(batchRow * d, d);
            var t = _targets.AsSpan(batchRow * k, k);
            train.Row(sample).CopyTo(x);
            t.Clear();
            t[train.Labels[sample]] = 1f;
            if (candidate.Mixup > 0)
            {
                var partner = random.NextInt(train.Rows);
                var weight = (float)random.NextSymmetricBeta(candidate.Mixup);
                var other = train.Row(partner);
                for (var j = 0; j < d; j++)
                {
                    x[j] = weight * x[j] + (1 - weight) * other[j];
                }

                t[train.Labels[sample]] = weight;
                t[train.Labels[partner]] += 1 - weight;
            }

            if (candidate.InputNoise > 0)
            {
                for (var j = 0; j < d; j++)
                {
                    x[j] += candidate.InputNoise * (float)random.NextGaussian();
                }
            }

            _slots[batchRow] = row;
            _rates[batchRow] = candidate.LearningRate * scheduleFactor;
        }
    }

    /// <summary>Every candidate on every validation row, in launches as large as the backend takes.</summary>
    private async Task<(double[] Loss, double[] Accuracy)> ValidateAsync(CancellationToken cancellationToken)
    {
        var validation = _set.Validation;
        var (d, k) = (Architecture.Inputs, Architecture.Outputs);
        var lossSums = new double[Candidates.Count];
        var correct = new int[Candidates.Count];
        var pairs = (long)Candidates.Count * validation.Rows;
        var capacity = _backend.MaxBatchRows;
        var slots = new int[capacity];
        var inputs = new float[capacity * d];
        var outputs = new float[capacity * k];
        for (long first = 0; first < pairs; first += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = (int)Math.Min(capacity, pairs - first);
            for (var i = 0; i < rows; i++)
            {
                var (candidate, sample) = ((int)((first + i) / validation.Rows), (int)((first + i) % validation.Rows));
                slots[i] = candidate;
                validation.Row(sample).CopyTo(inputs.AsSpan(i * d, d));
            }

            await TimedAsync(() => _table.ForwardAsync(slots.AsMemory(0, rows), inputs.AsMemory(0, rows * d), outputs.AsMemory(0, rows * k)));
            for (var i = 0; i < rows; i++)
            {
                var label = validation.Labels[(int)((first + i) % validation.Rows)];
                var y = outputs.AsSpan(i * k, k);
                lossSums[slots[i]] += Scoring.Loss(_recipe.Loss, y, label);
                correct[slots[i]] += Scoring.ArgMax(y) == label ? 1 : 0;
            }
        }

        return (
            lossSums.Select(sum => sum / validation.Rows).ToArray(),
            correct.Select(hits => (double)hits / validation.Rows).ToArray());
    }

    private async Task TimedAsync(Func<Task> launch)
    {
        var started = Stopwatch.GetTimestamp();
        await launch();
        Interlocked.Add(ref _deviceTicks, Stopwatch.GetElapsedTime(started).Ticks);
    }
}
