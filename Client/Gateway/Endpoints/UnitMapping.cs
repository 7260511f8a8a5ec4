using Galaxy.Contracts;

namespace Galaxy.Gateway.Endpoints;

/// <summary>From what units, labscapes and the galaxy grain hold to what <c>/v1/units</c>, <c>/v1/labscapes</c> and <c>/v1/galaxy</c> answer.</summary>
internal static class UnitMapping
{
    public static ModelArchitecture ToContract(this ModelShape shape) => new(shape.Inputs, shape.Hidden, shape.Outputs);

    public static UnitResponse ToResponse(this UnitView view)
    {
        var state = view.State;
        return new UnitResponse(
            state.UnitId, state.LabscapeId, view.Serving, view.Shape.ToContract(), view.OwnWeights, state.Own?.Version, state.Dormant?.Version,
            view.Parameters, state.Revision, state.Predictions, state.Learns, state.RejectedSteps, state.CreatedAt, state.UpdatedAt);
    }

    public static GalaxyTopologyResponse ToResponse(this GalaxyTopology topology) =>
        new(topology.Labscapes, topology.UnitsPerLabscape, topology.Architecture.ToContract());

    public static LabscapeStateResponse ToResponse(this LabscapeState state)
    {
        var serving = state.Serving;
        return new LabscapeStateResponse(
            state.LabscapeId, state.Architecture.ToContract(), state.FirstUnitId, state.UnitCount,
            new BatchingResponse(state.Batching.MaxBatchSize, state.Batching.MaxQueueDelayMicroseconds, state.Batching.MaxQueueLength),
            serving.StableKey, serving.Canary?.Key, serving.Canary is null ? 0 : serving.CanaryBasisPoints / 100.0,
            state.Batches, state.Rows, state.Rejections, state.CreatedAt, state.UpdatedAt);
    }

    public static LabscapeMetricsResponse ToResponse(this LabscapeMetrics metrics) => new(
        metrics.Batches, metrics.Rows, metrics.BatchSizeHistogram, metrics.MeanBatchSize, metrics.MeanQueueDelayMs, metrics.MeanKernelMs,
        metrics.LatencyP50Ms, metrics.LatencyP95Ms, metrics.LatencyP99Ms, metrics.Overloads, metrics.Timeouts, metrics.QueueLength, metrics.Backend,
        metrics.Learns, metrics.Silo);

    public static TickResponse ToResponse(this GalaxyTickSummary tick) => new(
        tick.Units, tick.Labscapes, tick.WallMilliseconds, tick.KernelMillisecondsTotal, tick.KernelMillisecondsMax, tick.OutputSum, tick.Skipped);
}
