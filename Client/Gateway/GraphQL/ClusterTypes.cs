using Galaxy.Contracts;
using GraphQL.Types;

namespace Galaxy.Gateway.GraphQL;

internal sealed class ModelArchitectureType : ObjectGraphType<ModelArchitecture>
{
    public ModelArchitectureType()
    {
        Name = "ModelArchitecture";
        Field<NonNullGraphType<IntGraphType>>("inputs").Resolve(context => context.Source.Inputs);
        Field<NonNullGraphType<IntGraphType>>("hidden").Resolve(context => context.Source.Hidden);
        Field<NonNullGraphType<IntGraphType>>("outputs").Resolve(context => context.Source.Outputs);
    }
}

/// <summary>A unit as it serves: its version, its shape, its counters (its weights stay on REST).</summary>
internal sealed class UnitType : ObjectGraphType<UnitResponse>
{
    public UnitType()
    {
        Name = "Unit";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.UnitId);
        Field<NonNullGraphType<IntGraphType>>("labscapeId").Resolve(context => context.Source.LabscapeId);
        Field<NonNullGraphType<StringGraphType>>("modelVersion").Resolve(context => context.Source.ModelVersion);
        Field<NonNullGraphType<ModelArchitectureType>>("architecture").Resolve(context => context.Source.Architecture);
        Field<NonNullGraphType<BooleanGraphType>>("ownWeights").Resolve(context => context.Source.OwnWeights);
        Field<NonNullGraphType<LongGraphType>>("revision").Resolve(context => context.Source.Revision);
        Field<NonNullGraphType<LongGraphType>>("predictions").Resolve(context => context.Source.Predictions);
        Field<NonNullGraphType<LongGraphType>>("learns").Resolve(context => context.Source.Learns);
    }
}

internal sealed class LabscapeSummaryType : ObjectGraphType<LabscapeSummary>
{
    public LabscapeSummaryType()
    {
        Name = "LabscapeSummary";
        Field<NonNullGraphType<IntGraphType>>("id").Resolve(context => context.Source.LabscapeId);
        Field<NonNullGraphType<LongGraphType>>("firstUnitId").Resolve(context => context.Source.FirstUnitId);
        Field<NonNullGraphType<IntGraphType>>("unitCount").Resolve(context => context.Source.UnitCount);
    }
}

/// <summary>A labscape: what it serves and its batching figures.</summary>
internal sealed class LabscapeType : ObjectGraphType<LabscapeResponse>
{
    public LabscapeType()
    {
        Name = "Labscape";
        Field<NonNullGraphType<IntGraphType>>("id").Resolve(context => context.Source.State.LabscapeId);
        Field<NonNullGraphType<LongGraphType>>("firstUnitId").Resolve(context => context.Source.State.FirstUnitId);
        Field<NonNullGraphType<IntGraphType>>("unitCount").Resolve(context => context.Source.State.UnitCount);
        Field<NonNullGraphType<StringGraphType>>("stableVersion").Resolve(context => context.Source.State.StableVersion);
        Field<StringGraphType>("canaryVersion").Resolve(context => context.Source.State.CanaryVersion);
        Field<NonNullGraphType<FloatGraphType>>("canaryPercent").Resolve(context => context.Source.State.CanaryPercent);
        Field<NonNullGraphType<LongGraphType>>("batches").Resolve(context => context.Source.Metrics.Batches);
        Field<NonNullGraphType<FloatGraphType>>("meanBatchSize").Resolve(context => context.Source.Metrics.MeanBatchSize);
        Field<NonNullGraphType<FloatGraphType>>("latencyP95Ms").Resolve(context => context.Source.Metrics.LatencyP95Ms);
        Field<NonNullGraphType<StringGraphType>>("backend").Resolve(context => context.Source.Metrics.Backend);
    }
}

/// <summary>A training job as lists show it.</summary>
internal sealed class TrainingJobType : ObjectGraphType<TrainingJobSummary>
{
    public TrainingJobType()
    {
        Name = "TrainingJob";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(context => context.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("model").Resolve(context => context.Source.Model.Name);
        Field<NonNullGraphType<FloatGraphType>>("progress").Resolve(context => context.Source.Progress);
        Field<NonNullGraphType<IntGraphType>>("epochsDone").Resolve(context => context.Source.EpochsDone);
        Field<NonNullGraphType<IntGraphType>>("epochs").Resolve(context => context.Source.Epochs);
        Field<FloatGraphType>("bestValidationAccuracy").Resolve(context => context.Source.BestValidationAccuracy);
        Field<IntGraphType>("version").Resolve(context => context.Source.Version);
        Field<NonNullGraphType<StringGraphType>>("requestedBy").Resolve(context => context.Source.RequestedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(context => context.Source.CreatedAt);
        Field<StringGraphType>("error").Resolve(context => context.Source.Error);
    }
}

/// <summary>An alert as <c>GET /v1/alerts</c> shows it: one breach of one threshold by one subject.</summary>
internal sealed class AlertType : ObjectGraphType<AlertResponse>
{
    public AlertType()
    {
        Name = "Alert";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("kind").Resolve(context => context.Source.Kind);
        Field<NonNullGraphType<StringGraphType>>("severity").Resolve(context => context.Source.Severity);
        Field<NonNullGraphType<StringGraphType>>("state").Resolve(context => context.Source.State);
        Field<NonNullGraphType<IntGraphType>>("level").Resolve(context => context.Source.Level);
        Field<NonNullGraphType<StringGraphType>>("subject").Resolve(context => context.Source.Subject);
        Field<StringGraphType>("model").Resolve(context => context.Source.Model?.Name);
        Field<IntGraphType>("version").Resolve(context => context.Source.Version);
        Field<NonNullGraphType<FloatGraphType>>("value").Resolve(context => context.Source.Value);
        Field<NonNullGraphType<FloatGraphType>>("threshold").Resolve(context => context.Source.Threshold);
        Field<NonNullGraphType<StringGraphType>>("summary").Resolve(context => context.Source.Summary);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("firedAt").Resolve(context => context.Source.FiredAt);
        Field<DateTimeOffsetGraphType>("resolvedAt").Resolve(context => context.Source.ResolvedAt);
        Field<StringGraphType>("acknowledgedBy").Resolve(context => context.Source.AcknowledgedBy);
    }
}

/// <summary>The seed's <c>ApprovalRequest</c>: a request for the CEO's decision on a version.</summary>
internal sealed class ApprovalRequestType : ObjectGraphType<ApprovalResponse>
{
    public ApprovalRequestType()
    {
        Name = "ApprovalRequest";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("model").Resolve(context => context.Source.Model.Name);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(context => context.Source.Version);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(context => context.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("reason").Resolve(context => context.Source.Reason);
        Field<NonNullGraphType<StringGraphType>>("requestedBy").Resolve(context => context.Source.RequestedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("requestedAt").Resolve(context => context.Source.RequestedAt);
    }
}

/// <summary>The seed's <c>DeploymentResult</c>: the deployment started, and whether it waits for the CEO.</summary>
internal sealed class DeploymentResultType : ObjectGraphType<DeploymentResponse>
{
    public DeploymentResultType()
    {
        Name = "DeploymentResult";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(context => context.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("model").Resolve(context => context.Source.Model.Name);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(context => context.Source.Version);
        Field<NonNullGraphType<IntGraphType>>("canaryPercent").Resolve(context => context.Source.CanaryPercent);
        Field<NonNullGraphType<BooleanGraphType>>("awaitingApproval").Resolve(context => context.Source.Status == "AWAITING_APPROVAL");
        Field<IdGraphType>("approvalId").Resolve(context => context.Source.ApprovalId);
    }
}

/// <summary>The seed's <c>ModelDeploymentInput</c>: a model (id or name), a version (number, latest or alias), labscapes, canary steps, a reason.</summary>
internal sealed class ModelDeploymentInputType : InputObjectGraphType<ModelDeploymentInput>
{
    public ModelDeploymentInputType()
    {
        Name = "ModelDeploymentInput";
        Field<NonNullGraphType<IdGraphType>>("modelId");
        Field<StringGraphType>("version");
        Field<ListGraphType<NonNullGraphType<IntGraphType>>>("labscapes");
        Field<ListGraphType<NonNullGraphType<IntGraphType>>>("canarySteps");
        Field<StringGraphType>("reason");
    }
}

internal sealed record ModelDeploymentInput(string ModelId, string? Version, int[]? Labscapes, int[]? CanarySteps, string? Reason);
