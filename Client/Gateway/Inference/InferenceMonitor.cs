using Galaxy.Grains;

namespace Galaxy.Gateway.Inference;

/// <summary>
/// What this gateway's inference by model did, per version (requests, failures, latency, feedback), summed here and sent
/// to each version's <see cref="IVersionMonitorGrain"/> once a second: one grain call per version and second instead of
/// one per request. Deployments judge their canaries on these figures.
/// </summary>
internal sealed class InferenceMonitor(IClusterClient cluster, ILogger<InferenceMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Dictionary<string, Tally> _tallies = [];

    public void RecordAnswer(string version, double latencyMs) => With(version, tally =>
    {
        tally.Requests++;
        tally.Latency.Record(latencyMs);
    });

    public void RecordFailure(string version) => With(version, tally =>
    {
        tally.Requests++;
        tally.Errors++;
    });

    public void RecordFeedback(string version, bool correct) => With(version, tally =>
    {
        tally.Feedback++;
        tally.Correct += correct ? 1 : 0;
    });

    /// <summary>Sends what was summed since the last flush.</summary>
    public async Task FlushAsync()
    {
        Dictionary<string, Tally> tallies;
        lock (_lock)
        {
            (tallies, _tallies) = (_tallies, []);
        }

        foreach (var (version, tally) in tallies)
        {
            var figures = new VersionFigures(tally.Requests, tally.Errors, tally.Latency.Counts(), tally.Feedback, tally.Correct);
            try
            {
                await cluster.GetGrain<IVersionMonitorGrain>(version).Report(figures);
            }
            catch (Exception fault) when (fault is OrleansException or TimeoutException)
            {
                // Not lost for good: what could not be sent goes with the next flush.
                logger.LogWarning(fault, "Could not report the inference figures of {Version}; they go with the next report.", version);
                With(version, tally => tally.Add(figures));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync();
        }
    }

    private void With(string version, Action<Tally> change)
    {
        lock (_lock)
        {
            if (!_tallies.TryGetValue(version, out var tally))
            {
                _tallies[version] = tally = new Tally();
            }

            change(tally);
        }
    }

    private sealed class Tally
    {
        public long Requests { get; set; }

        public long Errors { get; set; }

        public LatencyHistogram Latency { get; } = new();

        public long Feedback { get; set; }

        public long Correct { get; set; }

        public void Add(VersionFigures figures)
        {
            Requests += figures.Requests;
            Errors += figures.Errors;
            Feedback += figures.Feedback;
            Correct += figures.Correct;
            Latency.Add(figures.LatencyBuckets);
        }
    }
}
