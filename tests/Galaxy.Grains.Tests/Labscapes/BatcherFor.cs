using Galaxy.Grains.Labscapes;

namespace Galaxy.Grains.Tests.Labscapes;

/// <summary>A batcher on a table, with the settings a test names and the rest roomy.</summary>
internal static class BatcherFor
{
    public const string Version = "initial";

    public static RequestBatcher Table(
        IParameterTable table, BatchMetrics? metrics = null, int maxBatchSize = 64, int maxQueueLength = 1_000,
        int maxQueueDelayMicroseconds = 0, int backendMaxRows = 64) =>
        new(
            table,
            new BatchingSettings
            {
                MaxBatchSize = maxBatchSize,
                MaxQueueLength = maxQueueLength,
                MaxQueueDelayMicroseconds = maxQueueDelayMicroseconds,
            },
            backendMaxRows,
            metrics ?? new BatchMetrics(0),
            Version);

    /// <summary>Asserts that sending refuses the request at once, as it is sent, rather than with a failed task.</summary>
    public static T RefusedAtOnce<T>(Func<Task> send)
        where T : Exception =>
        Assert.Throws<T>(() => { _ = send(); });
}
