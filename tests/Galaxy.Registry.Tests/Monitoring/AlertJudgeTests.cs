using Galaxy.Registry.Monitoring;

namespace Galaxy.Registry.Tests.Monitoring;

/// <summary>Each of the seed's thresholds, at and around its limits: which severity fires, when it is within, when it is not judged.</summary>
public sealed class AlertJudgeTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ModelInfo Model = new(Guid.NewGuid(), "digits", "", new Dictionary<string, string>(), new Dictionary<string, int>(), 1, null, "x", End, End);
    private static readonly MonitoringOptions Options = new();

    [Theory]
    [InlineData(79.9, null)]
    [InlineData(80.0, AlertSeverities.Warning)]
    [InlineData(99.9, AlertSeverities.Warning)]
    [InlineData(100.0, AlertSeverities.Critical)]
    [InlineData(250.0, AlertSeverities.Critical)]
    public void Latency_p95_fires_at_80_and_100_ms(double p95, string? severity)
    {
        var judgement = Judge(MonitoringDatabase.Interval(Model, End, 20_000, p95), AlertKinds.LatencyP95);

        Assert.True(judgement.Judged);
        Assert.Equal(severity, judgement.Breach?.Severity);
        Assert.Equal("digits:1", judgement.Subject);
    }

    [Fact]
    public void Latency_without_answers_is_within_its_limit()
    {
        var judgement = Judge(MonitoringDatabase.Interval(Model, End, 0), AlertKinds.LatencyP95);

        Assert.True(judgement.Judged);
        Assert.Null(judgement.Breach);
    }

    [Theory]
    [InlineData(981, null)]
    [InlineData(980, null)]
    [InlineData(979, AlertSeverities.Warning)]
    [InlineData(975, AlertSeverities.Warning)]
    [InlineData(974, AlertSeverities.Critical)]
    public void Accuracy_fires_below_98_and_97_5_percent(long correct, string? severity)
    {
        var judgement = Judge(MonitoringDatabase.Interval(Model, End, 20_000, 5, feedback: 1_000, correct: correct), AlertKinds.Accuracy);

        Assert.True(judgement.Judged);
        Assert.Equal(severity, judgement.Breach?.Severity);
    }

    [Fact]
    public void Accuracy_on_too_little_feedback_is_not_judged()
    {
        var judgement = Judge(MonitoringDatabase.Interval(Model, End, 20_000, 5, feedback: 19, correct: 0), AlertKinds.Accuracy);

        Assert.False(judgement.Judged);
        Assert.Null(judgement.Breach);
    }

    [Theory]
    [InlineData(10_000, null)]
    [InlineData(9_990, AlertSeverities.Warning)]
    [InlineData(5_000, AlertSeverities.Warning)]
    [InlineData(4_990, AlertSeverities.Critical)]
    [InlineData(10, AlertSeverities.Critical)]
    [InlineData(0, null)]
    public void Throughput_fires_below_1000_and_500_per_second_only_with_traffic(long requestsIn10Seconds, string? severity)
    {
        var judgement = Judge(MonitoringDatabase.Interval(Model, End, requestsIn10Seconds, 5), AlertKinds.Throughput);

        Assert.True(judgement.Judged);
        Assert.Equal(severity, judgement.Breach?.Severity);
        Assert.Equal("digits", judgement.Subject);
    }

    [Fact]
    public void Throughput_is_the_models_over_all_its_served_versions()
    {
        var stable = MonitoringDatabase.Interval(Model, End, 7_000, 5);
        var canary = MonitoringDatabase.Interval(Model, End, 3_000, 5) with { Version = 2 };

        var judgements = AlertJudge.Judge([stable, canary], _ => ModelThresholds.Default, [], Options);

        Assert.Null(Assert.Single(judgements, judgement => judgement.Kind == AlertKinds.Throughput).Breach);
    }

    [Theory]
    [InlineData(AlertKinds.Cpu, 80.0, false)]
    [InlineData(AlertKinds.Cpu, 80.5, true)]
    [InlineData(AlertKinds.Memory, 90.0, false)]
    [InlineData(AlertKinds.Memory, 95.0, true)]
    [InlineData(AlertKinds.Gpu, 85.0, false)]
    [InlineData(AlertKinds.Gpu, 86.0, true)]
    public void Resources_fire_above_cpu_80_memory_90_and_gpu_85_percent(string kind, double percent, bool fires)
    {
        var reading = new SiloReading(
            "S1", End, kind == AlertKinds.Cpu ? percent : 10, kind == AlertKinds.Memory ? percent : 10, kind == AlertKinds.Gpu ? percent : 10);

        var judgement = Assert.Single(AlertJudge.Judge([], _ => ModelThresholds.Default, [reading], Options), judgement => judgement.Kind == kind);

        Assert.Equal(fires, judgement.Breach is not null);
        Assert.Equal("silo S1", judgement.Subject);
    }

    [Fact]
    public void A_silo_without_a_gpu_has_nothing_to_alert_on()
    {
        var judgement = Assert.Single(
            AlertJudge.Judge([], _ => ModelThresholds.Default, [new SiloReading("S1", End, 10, 10, null)], Options),
            judgement => judgement.Kind == AlertKinds.Gpu);

        Assert.True(judgement.Judged);
        Assert.Null(judgement.Breach);
    }

    [Fact]
    public void A_models_own_thresholds_replace_the_seeds()
    {
        var strict = ModelThresholds.Default with { LatencyP95WarningMs = 5, LatencyP95CriticalMs = 10 };

        var judgements = AlertJudge.Judge([MonitoringDatabase.Interval(Model, End, 20_000, 12)], _ => strict, [], Options);

        Assert.Equal(AlertSeverities.Critical, Assert.Single(judgements, judgement => judgement.Kind == AlertKinds.LatencyP95).Breach?.Severity);
    }

    [Theory]
    [InlineData(AlertKinds.LatencyP95, 85.0, AlertSeverities.Warning, 50.0)]
    [InlineData(AlertKinds.LatencyP95, 120.0, AlertSeverities.Critical, 50.0)]
    [InlineData(AlertKinds.Accuracy, 979.0, AlertSeverities.Warning, 990.0)]
    [InlineData(AlertKinds.Accuracy, 970.0, AlertSeverities.Critical, 990.0)]
    [InlineData(AlertKinds.Throughput, 9_990.0, AlertSeverities.Warning, 20_000.0)]
    [InlineData(AlertKinds.Throughput, 4_990.0, AlertSeverities.Critical, 20_000.0)]
    [InlineData(AlertKinds.Cpu, 95.0, AlertSeverities.Warning, 10.0)]
    [InlineData(AlertKinds.Memory, 95.0, AlertSeverities.Warning, 10.0)]
    [InlineData(AlertKinds.Gpu, 95.0, AlertSeverities.Warning, 10.0)]
    public void Each_threshold_fires_at_level_1_with_its_severity_and_resolves_once_back_within(string kind, double breaking, string severity, double within)
    {
        var fired = Assert.Single(AlertBook.Plan([], [JudgeFigure(kind, breaking)], End, Options));
        var resolved = Assert.Single(AlertBook.Plan([fired.Alert], [JudgeFigure(kind, within)], End.AddSeconds(10), Options));

        Assert.Equal([AlertEvents.Fired], fired.Events);
        Assert.Equal((kind, severity, 1, AlertStates.Firing), (fired.Alert.Kind, fired.Alert.Severity, fired.Alert.Level, fired.Alert.State));
        Assert.Equal([AlertEvents.Resolved], resolved.Events);
        Assert.Equal((AlertStates.Resolved, End.AddSeconds(10)), (resolved.Alert.State, resolved.Alert.ResolvedAt));
    }

    /// <summary>
    /// One figure of <paramref name="kind"/> judged against the seed's thresholds: a latency p95 in ms, right answers among
    /// 1,000 with feedback, requests in 10 s, or a silo's percent.
    /// </summary>
    private static Judgement JudgeFigure(string kind, double figure)
    {
        VersionInterval[] versions = kind switch
        {
            AlertKinds.LatencyP95 => [MonitoringDatabase.Interval(Model, End, 20_000, figure)],
            AlertKinds.Accuracy => [MonitoringDatabase.Interval(Model, End, 20_000, 5, feedback: 1_000, correct: (long)figure)],
            AlertKinds.Throughput => [MonitoringDatabase.Interval(Model, End, (long)figure, 5)],
            _ => [],
        };
        SiloReading[] silos = versions.Length > 0 ? [] :
            [new SiloReading("S1", End, kind == AlertKinds.Cpu ? figure : 10, kind == AlertKinds.Memory ? figure : 10, kind == AlertKinds.Gpu ? figure : 10)];
        return Assert.Single(AlertJudge.Judge(versions, _ => ModelThresholds.Default, silos, Options), judgement => judgement.Kind == kind);
    }

    private static Judgement Judge(VersionInterval interval, string kind) =>
        Assert.Single(AlertJudge.Judge([interval], _ => ModelThresholds.Default, [], Options), judgement => judgement.Kind == kind);
}
