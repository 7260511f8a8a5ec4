using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Galaxy.Testing.Processes;
using Npgsql;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// The group commit's figures as an operator's dashboard reads them: each batch's size and commit time, by outcome.
/// The meter is process-wide, so these tests run alone (<see cref="CommitMetricsCollection"/>) and no other test's
/// batches are counted.
/// </summary>
[Collection(CommitMetricsCollection.Name)]
public sealed class CommitMetricsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string BatchSize = "galaxy.storage.commit.batch.size";
    private const string CommitDuration = "galaxy.storage.commit.duration";

    [Fact]
    public async Task Each_committed_batch_records_its_size_and_commit_time()
    {
        using var measured = new CommitMeasurements();
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var stateName = TestGrains.FreshStateName();

        for (var i = 0; i < 3; i++)
        {
            await host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), new GrainState<CounterState>(CounterState.Of(i)));
        }

        var sizes = measured.Of(BatchSize, "committed");
        Assert.Equal(3, sizes.Sum());
        var durations = measured.Of(CommitDuration, "committed");
        Assert.Equal(sizes.Count, durations.Count);
        Assert.All(durations, seconds => Assert.InRange(seconds, double.Epsilon, 60));
        Assert.Empty(measured.Of(BatchSize, "failed"));
        Assert.Empty(measured.Of(BatchSize, "unavailable"));
    }

    [Fact]
    public async Task The_instruments_carry_their_units_descriptions_and_batch_size_buckets()
    {
        using var measured = new CommitMeasurements();
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        await host.GroupCommit.WriteStateAsync(TestGrains.FreshStateName(), TestGrains.Integer(1), new GrainState<CounterState>(CounterState.Of(1)));

        var size = Assert.IsType<Histogram<int>>(measured.Instrument(BatchSize));
        Assert.Equal("{write}", size.Unit);
        Assert.False(string.IsNullOrWhiteSpace(size.Description));
        Assert.Equal(Enumerable.Range(0, 13).Select(power => 1 << power), size.Advice?.HistogramBucketBoundaries);
        var duration = measured.Instrument(CommitDuration);
        Assert.Equal("s", duration.Unit);
        Assert.False(string.IsNullOrWhiteSpace(duration.Description));
    }

    [Fact]
    public async Task A_batch_the_database_rejects_is_recorded_as_failed()
    {
        using var measured = new CommitMeasurements();
        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        var tooLongStateName = new string('x', 600); // GrainTypeString is varchar(512)

        await Assert.ThrowsAsync<BatchWriteFailedException>(() =>
            host.GroupCommit.WriteStateAsync(tooLongStateName, TestGrains.Integer(1), new GrainState<CounterState>(CounterState.Of(1))));

        Assert.Equal([1], measured.Of(BatchSize, "failed"));
        Assert.Single(measured.Of(CommitDuration, "failed"));
        Assert.Empty(measured.Of(BatchSize, "committed"));
    }

    [Fact]
    public async Task A_batch_that_finds_the_server_down_is_recorded_as_unavailable_and_the_writes_failed_without_trying_are_not()
    {
        using var measured = new CommitMeasurements();
        var unreachable = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = LoopbackPort.Free() }.ConnectionString;
        await using var host = await StorageHost.StartAsync(
            database.ConnectionString, options => options.ConnectionString = unreachable, new ManualClock());
        var stateName = TestGrains.FreshStateName();

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() =>
                host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), new GrainState<CounterState>(CounterState.Of(i))));
        }

        Assert.Equal([1], measured.Of(BatchSize, "unavailable"));
        Assert.Single(measured.Of(CommitDuration, "unavailable"));
    }

    /// <summary>Every measurement of the group commit's meter while it lives, with its <c>outcome</c> tag.</summary>
    private sealed class CommitMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, Instrument> _instruments = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, string? Outcome)> _measurements = new();

        public CommitMeasurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CommitMetrics.MeterName)
                {
                    _instruments[instrument.Name] = instrument;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public Instrument Instrument(string name) =>
            _instruments.TryGetValue(name, out var instrument) ? instrument : throw new Xunit.Sdk.XunitException($"no instrument {name} on {CommitMetrics.MeterName}");

        public List<double> Of(string instrument, string outcome) =>
            _measurements.Where(m => m.Instrument == instrument && m.Outcome == outcome).Select(m => m.Value).ToList();

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            _measurements.Enqueue((instrument.Name, value, outcome));
        }
    }
}

/// <summary>The commit-metrics tests run with no other test, whose batches the process-wide meter would also count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CommitMetricsCollection
{
    public const string Name = "Commit metrics";
}
