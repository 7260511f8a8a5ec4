using Galaxy.Registry.Monitoring;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>
/// The performance log as the silo writes it and the gateway reads it: intervals by time range and model, resource
/// readings, pruning past the retention; and the thresholds the gateway sets and the silo reads.
/// </summary>
public sealed class PerformanceLogTests(MonitoringDatabase database) : IClassFixture<MonitoringDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Intervals_and_readings_written_by_the_silo_are_read_by_range_and_model()
    {
        var digits = await database.NewModelAsync("log-digits");
        var letters = await database.NewModelAsync("log-letters");
        var buckets = new long[208];
        buckets[100] = 7;
        await new PerformanceLog(database.Silo).AppendAsync(
            [
                MonitoringDatabase.Interval(digits, T0.AddSeconds(10), 100, 4, feedback: 50, correct: 49) with { Errors = 3, LatencyBuckets = buckets },
                MonitoringDatabase.Interval(digits, T0.AddSeconds(20), 0),
                MonitoringDatabase.Interval(letters, T0.AddSeconds(20), 30, 9),
            ],
            [new SiloReading("S1", T0.AddSeconds(10), 42.5, 61, null), new SiloReading("S2", T0.AddSeconds(10), 12, 30, 77)],
            CancellationToken.None);
        var log = new PerformanceLog(database.Gateway);

        var all = await log.VersionsAsync(T0, T0.AddMinutes(1), null, CancellationToken.None);
        var digitsOnly = await log.VersionsAsync(T0, T0.AddMinutes(1), digits.Id, CancellationToken.None);
        var firstInterval = await log.VersionsAsync(T0, T0.AddSeconds(10), null, CancellationToken.None);
        var silos = await log.SilosAsync(T0, T0.AddMinutes(1), CancellationToken.None);

        Assert.Equal(3, all.Count);
        Assert.Equal(2, digitsOnly.Count);
        var first = Assert.Single(firstInterval);
        Assert.Equal((100L, 3L, 4.0, 50L, 49L, 7L, 10.0), (first.Requests, first.Errors, first.LatencyP95Ms, first.Feedback, first.Correct, first.LatencyBuckets[100], first.ThroughputPerSecond));
        Assert.Null(digitsOnly[1].LatencyP95Ms);
        Assert.Equal([("S1", 42.5, 61.0, (double?)null), ("S2", 12, 30, 77)], silos.Select(silo => (silo.Silo, silo.CpuPercent, silo.MemoryPercent, silo.GpuPercent)));
    }

    [Fact]
    public async Task Pruning_removes_what_is_past_the_retention_and_keeps_the_rest()
    {
        var model = await database.NewModelAsync("log-pruned");
        var old = T0.AddDays(-30);
        await new PerformanceLog(database.Silo).AppendAsync(
            [MonitoringDatabase.Interval(model, old, 10, 5), MonitoringDatabase.Interval(model, T0, 10, 5)],
            [new SiloReading("S9", old, 1, 1, null), new SiloReading("S9", T0, 1, 1, null)], CancellationToken.None);
        var retention = new MonitoringOptions { RetentionHours = 24 }.Retention;

        await new PerformanceLog(database.Silo).PruneAsync(T0 - retention, CancellationToken.None);

        var kept = await new PerformanceLog(database.Gateway).VersionsAsync(old.AddDays(-1), T0.AddDays(1), model.Id, CancellationToken.None);
        var silos = await new PerformanceLog(database.Gateway).SilosAsync(old.AddDays(-1), T0.AddDays(1), CancellationToken.None);
        Assert.Equal(T0, Assert.Single(kept).End);
        Assert.Equal(T0, Assert.Single(silos, silo => silo.Silo == "S9").At);
    }

    [Fact]
    public async Task Thresholds_set_by_the_gateway_are_the_ones_the_silo_judges_with()
    {
        var model = await database.NewModelAsync("thresholds");
        var strict = ModelThresholds.Default with { LatencyP95WarningMs = 20, LatencyP95CriticalMs = 40 };

        await new ThresholdStore(database.Gateway, TimeProvider.System).SetAsync(model.Id, strict, "lead", CancellationToken.None);
        var read = await new ThresholdStore(database.Silo, TimeProvider.System).AllAsync(CancellationToken.None);

        Assert.Equal(strict, read[model.Id]);
    }

    [Theory]
    [InlineData(100, 80, 0.98, 0.975, 1000, 500, 20)]
    [InlineData(0, 100, 0.98, 0.975, 1000, 500, 20)]
    [InlineData(80, 100, 0.97, 0.98, 1000, 500, 20)]
    [InlineData(80, 100, 1.5, 0.975, 1000, 500, 20)]
    [InlineData(80, 100, 0.98, 0.975, 400, 500, 20)]
    [InlineData(80, 100, 0.98, 0.975, 1000, -1, 20)]
    [InlineData(80, 100, 0.98, 0.975, 1000, 500, 0)]
    [InlineData(double.NaN, 100, 0.98, 0.975, 1000, 500, 20)]
    public async Task Contradictory_or_out_of_range_thresholds_are_refused(
        double latencyWarning, double latencyCritical, double accuracyWarning, double accuracyCritical, double throughputWarning,
        double throughputCritical, int minFeedback)
    {
        var model = await database.NewModelAsync("refused");
        var thresholds = new ModelThresholds(latencyWarning, latencyCritical, accuracyWarning, accuracyCritical, throughputWarning, throughputCritical, minFeedback);

        await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            new ThresholdStore(database.Gateway, TimeProvider.System).SetAsync(model.Id, thresholds, "lead", CancellationToken.None));
        Assert.Null(await new ThresholdStore(database.Gateway, TimeProvider.System).FindAsync(model.Id, CancellationToken.None));
    }
}
