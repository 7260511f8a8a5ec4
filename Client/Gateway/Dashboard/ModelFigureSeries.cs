using Galaxy.Grains;
using Galaxy.Registry.Deployments;
using Galaxy.Registry.Monitoring;

namespace Galaxy.Gateway.Dashboard;

/// <summary>
/// The served versions' figures second by second, for the dashboard's charts: read from each version's
/// <see cref="IVersionMonitorGrain"/> (cumulative, all gateways together) at most once a second and only while a page
/// asks, the difference between two readings making a point. The last <see cref="Kept"/> of points are kept in memory.
/// Each version carries its model's alert thresholds, read with the same sample, so a change shows within a second.
/// </summary>
internal sealed class ModelFigureSeries(ServingIndex serving, ThresholdStore thresholds, IClusterClient cluster, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Kept = TimeSpan.FromMinutes(5);

    /// <summary>Feedback is sparse: accuracy is judged on the last half minute of it rather than on one second.</summary>
    public static readonly TimeSpan AccuracyWindow = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _sampling = new(1, 1);
    private readonly Dictionary<string, Series> _series = [];
    private DateTimeOffset _sampledAt = DateTimeOffset.MinValue;

    public async Task<ModelFiguresResponse> ReadAsync(CancellationToken cancellationToken)
    {
        await _sampling.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (now - _sampledAt >= Interval)
            {
                await SampleAsync(now, cancellationToken);
                _sampledAt = now;
            }

            return new ModelFiguresResponse(
                now, (int)AccuracyWindow.TotalSeconds, DashboardThresholds.Seed, _series.Values.Select(series => series.ToContract()).ToArray());
        }
        finally
        {
            _sampling.Release();
        }
    }

    private async Task SampleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var served = await serving.ServedVersionsAsync(cancellationToken);
        var set = await thresholds.AllAsync(cancellationToken);
        var readings = await Task.WhenAll(served.Select(async version =>
        {
            var key = $"{version.Model}:{version.Version}";
            return (Key: key, Version: version, Figures: await cluster.GetGrain<IVersionMonitorGrain>(key).GetFigures());
        }));

        foreach (var gone in _series.Keys.Except(readings.Select(reading => reading.Key)).ToArray())
        {
            _series.Remove(gone);
        }

        foreach (var (key, version, figures) in readings)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                _series[key] = series = new Series(key);
            }

            series.Add(version, ModelChartThresholds.Of(set.GetValueOrDefault(version.ModelId)), now, figures);
        }
    }

    private sealed class Series(string key)
    {
        private readonly Queue<(ModelFigurePoint Point, long Feedback, long Correct)> _points = new();
        private ServedVersionRow? _version;
        private ModelChartThresholds _thresholds = ModelChartThresholds.Of(null);
        private (DateTimeOffset At, VersionFigures Figures)? _last;

        public void Add(ServedVersionRow version, ModelChartThresholds thresholds, DateTimeOffset at, VersionFigures figures)
        {
            _version = version;
            _thresholds = thresholds;
            if (_last is { } last)
            {
                var second = figures.Since(last.Figures);
                var seconds = (at - last.At).TotalSeconds;
                var point = new ModelFigurePoint(
                    at, second.Requests / seconds, second.Requests > 0 ? second.LatencyP95Ms : null, AccuracyPercent(at, figures, last.Figures));
                _points.Enqueue((point, figures.Feedback, figures.Correct));
                while (_points.Peek().Point.At < at - Kept)
                {
                    _points.Dequeue();
                }
            }

            _last = (at, figures);
        }

        public ServedVersionSeries ToContract() => new(
            key, _version!.Model, _version.Version, _version.StableLabscapes, _version.CanaryLabscapes, _thresholds,
            _points.Select(kept => kept.Point).ToArray());

        /// <summary>Right answers among the feedback since the window's start; null without feedback in it.</summary>
        private double? AccuracyPercent(DateTimeOffset at, VersionFigures figures, VersionFigures previous)
        {
            var (startFeedback, startCorrect) = _points.Any(kept => kept.Point.At >= at - AccuracyWindow)
                ? _points.Where(kept => kept.Point.At >= at - AccuracyWindow).Select(kept => (kept.Feedback, kept.Correct)).First()
                : (previous.Feedback, previous.Correct);
            // A monitor that started over (its silo went away) counts from zero.
            var (feedback, correct) = startFeedback <= figures.Feedback && startCorrect <= figures.Correct
                ? (figures.Feedback - startFeedback, figures.Correct - startCorrect)
                : (figures.Feedback, figures.Correct);
            return feedback == 0 ? null : 100.0 * correct / feedback;
        }
    }
}
