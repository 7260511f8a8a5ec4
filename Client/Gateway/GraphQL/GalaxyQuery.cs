using Galaxy.Contracts;
using Galaxy.Gateway.Deployments;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.Monitoring;
using Galaxy.Gateway.Training;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using Galaxy.Registry.Monitoring;
using Galaxy.Registry.Training;
using GraphQL;
using GraphQL.Types;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// The seed's queries (<c>galaxyModels</c>, <c>modelById</c>, <c>performanceReport</c>) and the cluster's (units,
/// labscapes, training jobs, alerts), each behind the permission of its REST counterpart.
/// </summary>
internal sealed class GalaxyQuery : ObjectGraphType
{
    public GalaxyQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GalaxyModelType>>>>("galaxyModels")
            .Description("Models by name, optionally those whose name contains 'search'; a page of at most 'limit' (1…1000).")
            .Argument<StringGraphType>("search")
            .Argument<IntGraphType>("offset", argument => argument.DefaultValue = 0)
            .Argument<IntGraphType>("limit", argument => argument.DefaultValue = 100)
            .Requires(Permissions.ReadModels)
            .ResolveAsync(async context =>
            {
                var registry = context.RequestServices!.GetRequiredService<ModelRegistry>();
                var page = await registry.SearchModelsAsync(
                    new ModelQuery(context.GetArgument<string?>("search"), null, null, context.GetArgument<int>("offset"), context.GetArgument<int>("limit")),
                    context.CancellationToken);
                return page.Items.Select(RegistryMapping.ToResponse).ToArray();
            });
        Field<GalaxyModelType>("modelById").Description("A model by id or name; null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Requires(Permissions.ReadModels)
            .ResolveAsync(async context =>
            {
                var model = await context.RequestServices!.GetRequiredService<ModelRegistry>()
                    .FindModelAsync(context.GetArgument<string>("id"), context.CancellationToken);
                return model?.ToResponse();
            });
        Field<NonNullGraphType<PerformanceReportType>>("performanceReport")
            .Description("Every version that served in the range, with its inference over the range, from the performance log (as GET /v1/monitoring/report).")
            .Argument<NonNullGraphType<TimeRangeInputType>>("timeRange")
            .Requires(Permissions.ReadMonitoring)
            .ResolveAsync(async context =>
            {
                var range = context.GetArgument<TimeRange>("timeRange");
                if (MonitoringEndpoints.RangeProblem(range.From, range.To) is { } problem)
                {
                    throw GraphQLErrors.From(problem);
                }

                return await context.RequestServices!.GetRequiredService<PerformanceLogReports>().ReportAsync(range.From, range.To, context.CancellationToken);
            });
        Field<UnitType>("unit").Description("A unit as it serves now.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Requires(Permissions.Read)
            .ResolveAsync(async context =>
            {
                var services = context.RequestServices!;
                var topology = await services.GetRequiredService<TopologyCache>().GetAsync();
                if (RequestChecks.UnitId(context.GetArgument<string>("id"), topology, out var unitId) is { } problem)
                {
                    throw GraphQLErrors.From(problem);
                }

                return (await services.GetRequiredService<IClusterClient>().GetUnit(unitId).Describe()).ToResponse();
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LabscapeSummaryType>>>>("labscapes").Description("The galaxy's labscapes and their unit ranges.")
            .Requires(Permissions.Read)
            .ResolveAsync(async context =>
            {
                var galaxy = await context.RequestServices!.GetRequiredService<TopologyCache>().GetAsync();
                return Enumerable.Range(0, galaxy.Labscapes)
                    .Select(id => new LabscapeSummary(id, (long)id * galaxy.UnitsPerLabscape, galaxy.UnitsPerLabscape))
                    .ToArray();
            });
        Field<LabscapeType>("labscape").Description("A labscape: what it serves and its batching figures.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Requires(Permissions.Read)
            .ResolveAsync(async context =>
            {
                var services = context.RequestServices!;
                var topology = await services.GetRequiredService<TopologyCache>().GetAsync();
                if (RequestChecks.LabscapeId(context.GetArgument<string>("id"), topology, out var labscapeId) is { } problem)
                {
                    throw GraphQLErrors.From(problem);
                }

                var labscape = services.GetRequiredService<IClusterClient>().GetLabscape(labscapeId);
                return new LabscapeResponse((await labscape.GetState()).ToResponse(), (await labscape.GetMetrics()).ToResponse());
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrainingJobType>>>>("trainingJobs")
            .Description("Training jobs, newest first, optionally of one status (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED) and one model.")
            .Argument<StringGraphType>("status")
            .Argument<StringGraphType>("model")
            .Argument<IntGraphType>("offset", argument => argument.DefaultValue = 0)
            .Argument<IntGraphType>("limit", argument => argument.DefaultValue = 100)
            .Requires(Permissions.ReadTraining)
            .ResolveAsync(async context =>
            {
                var services = context.RequestServices!;
                var page = GraphQLErrors.Unwrap<PageResponse<TrainingJobSummary>>((await TrainingEndpoints.List(
                    services.GetRequiredService<TrainingJobStore>(), services.GetRequiredService<ModelRegistry>(), context.CancellationToken,
                    context.GetArgument<string?>("status"), context.GetArgument<string?>("model"), context.GetArgument<int>("offset"),
                    context.GetArgument<int>("limit"))).Result);
                return page.Items;
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertType>>>>("alerts")
            .Description("Alerts, newest first, optionally of one state (firing, resolved) and severity (warning, critical).")
            .Argument<StringGraphType>("state")
            .Argument<StringGraphType>("severity")
            .Argument<IntGraphType>("offset", argument => argument.DefaultValue = 0)
            .Argument<IntGraphType>("limit", argument => argument.DefaultValue = 100)
            .Requires(Permissions.ReadMonitoring)
            .ResolveAsync(async context =>
            {
                var page = GraphQLErrors.Unwrap<AlertPage>((await AlertEndpoints.List(
                    context.RequestServices!.GetRequiredService<AlertStore>(), context.CancellationToken, context.GetArgument<string?>("state"),
                    context.GetArgument<string?>("severity"), context.GetArgument<int>("offset"), context.GetArgument<int>("limit"))).Result);
                return page.Items;
            });
    }
}
