using Galaxy.Contracts;
using Galaxy.Gateway.Guardian;
using GraphQL.Types;

namespace Galaxy.Gateway.GraphQL;

/// <summary>The seed's <c>ModelStatus</c>: a version's status (<c>PENDING</c>, <c>APPROVED</c>, <c>DEPLOYED</c>, <c>ROLLED_BACK</c>, <c>RETIRED</c>).</summary>
internal sealed class ModelStatusType : EnumerationGraphType<VersionStatus>
{
    public ModelStatusType()
    {
        Name = "ModelStatus";
    }
}

/// <summary>
/// The seed's <c>GalaxyModel</c>: a registry model with its latest version's number and status (null while it has no
/// version), that version's performance, its newest deployment, and whether that version passed Guardian's approval.
/// </summary>
internal sealed class GalaxyModelType : ObjectGraphType<ModelResponse>
{
    public GalaxyModelType()
    {
        Name = "GalaxyModel";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(context => context.Source.Name);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(context => context.Source.Description);
        Field<StringGraphType>("version").Description("The latest version's number; null while the model has none.")
            .Resolve(context => context.Source.LatestVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<ModelStatusType>("status").Description("The latest version's status; null while the model has none.")
            .Resolve(context => context.Source.LatestStatus);
        Field<NonNullGraphType<BooleanGraphType>>("guardianApproval")
            .Description("Whether the latest version was approved (by Guardian's check or the CEO): APPROVED or DEPLOYED.")
            .Resolve(context => context.Source.LatestStatus is VersionStatus.Approved or VersionStatus.Deployed);
        Field<PerformanceMetricsType>("performance").Description("The latest version's inference figures; null while the model has no version.")
            .Requires(Permissions.ReadDeployments)
            .Resolve(context => context.Source.LatestVersion is { } version
                ? GalaxyUserContext.Of(context).Performance.Load($"{context.Source.Name}:{version}")
                : null);
        Field<DeploymentInfoType>("deployment").Description("The model's newest deployment; null when it was never deployed.")
            .Requires(Permissions.ReadDeployments)
            .Resolve(context => GalaxyUserContext.Of(context).LatestDeployments.Load(context.Source.Id));
    }
}

/// <summary>The seed's <c>PerformanceMetrics</c>, from the version's inference as the gateways measured it.</summary>
internal sealed class PerformanceMetricsType : ObjectGraphType<VersionPerformanceFigures>
{
    public PerformanceMetricsType()
    {
        Name = "PerformanceMetrics";
        Field<NonNullGraphType<StringGraphType>>("version").Description("The version measured (name:number).").Resolve(context => context.Source.Version);
        Field<FloatGraphType>("latency").Description("Latency p95 in milliseconds; null before its first request.").Resolve(context => context.Source.LatencyP95Ms);
        Field<FloatGraphType>("accuracy").Description("Share of the answers with feedback that were right; null without feedback.")
            .Resolve(context => context.Source.Accuracy);
        Field<FloatGraphType>("throughput").Description("Requests per second; null where the source keeps no figures over time.")
            .Resolve(context => context.Source.ThroughputPerSecond);
        Field<NonNullGraphType<LongGraphType>>("requests").Description("Requests answered or failed.").Resolve(context => context.Source.Requests);
        Field<NonNullGraphType<FloatGraphType>>("errorRate").Resolve(context => context.Source.ErrorRate);
        Field<NonNullGraphType<LongGraphType>>("feedback").Resolve(context => context.Source.Feedback);
        Field<ResourceUtilizationType>("resourceUtilization").Description("Resource use in percent; null where the source measures none.")
            .Resolve(context => context.Source.Resources);
    }
}

/// <summary>The seed's <c>ResourceUtilization</c>, in percent.</summary>
internal sealed class ResourceUtilizationType : ObjectGraphType<ResourceFigures>
{
    public ResourceUtilizationType()
    {
        Name = "ResourceUtilization";
        Field<NonNullGraphType<FloatGraphType>>("cpu").Resolve(context => context.Source.Cpu);
        Field<FloatGraphType>("gpu").Resolve(context => context.Source.Gpu);
        Field<NonNullGraphType<FloatGraphType>>("memory").Resolve(context => context.Source.Memory);
        Field<FloatGraphType>("storage").Description("Null: no silo measures its storage.").Resolve(context => context.Source.Storage);
    }
}

/// <summary>The seed's <c>DeploymentInfo</c>: a deployment as lists show it.</summary>
internal sealed class DeploymentInfoType : ObjectGraphType<DeploymentSummary>
{
    public DeploymentInfoType()
    {
        Name = "DeploymentInfo";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("status").Resolve(context => context.Source.Status);
        Field<NonNullGraphType<StringGraphType>>("model").Resolve(context => context.Source.Model.Name);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(context => context.Source.Version);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("labscapes").Resolve(context => context.Source.Labscapes);
        Field<NonNullGraphType<IntGraphType>>("canaryPercent").Resolve(context => context.Source.CanaryPercent);
        Field<NonNullGraphType<StringGraphType>>("requestedBy").Resolve(context => context.Source.RequestedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(context => context.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("updatedAt").Resolve(context => context.Source.UpdatedAt);
        Field<StringGraphType>("error").Resolve(context => context.Source.Error);
    }
}

/// <summary>The seed's <c>PerformanceReport</c>: each version's figures over the range, and what they cover.</summary>
internal sealed class PerformanceReportType : ObjectGraphType<PerformanceReportFigures>
{
    public PerformanceReportType()
    {
        Name = "PerformanceReport";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("from").Resolve(context => context.Source.From);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("to").Resolve(context => context.Source.To);
        Field<NonNullGraphType<StringGraphType>>("coverage").Description("The span the figures actually cover.").Resolve(context => context.Source.Coverage);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PerformanceMetricsType>>>>("versions").Resolve(context => context.Source.Versions);
    }
}

/// <summary>The seed's <c>TimeRange</c>: a report's window.</summary>
internal sealed class TimeRangeInputType : InputObjectGraphType<TimeRange>
{
    public TimeRangeInputType()
    {
        Name = "TimeRange";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("from");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("to");
    }
}

internal sealed record TimeRange(DateTimeOffset From, DateTimeOffset To);
