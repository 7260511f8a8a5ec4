using Galaxy.Contracts;
using Galaxy.Gateway.Deployments;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.Optimization;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using GraphQL;
using GraphQL.Types;

namespace Galaxy.Gateway.GraphQL;

/// <summary>
/// The seed's mutations, each through its REST route's very handler, so they check, refuse and audit alike:
/// <c>deployModel</c> (<c>POST /v1/models/{id}/deployments</c>), <c>optimizeModel</c>
/// (<c>POST /v1/models/{id}/versions/{v}/optimize</c>) and <c>requestCEOApproval</c> (<c>POST /v1/guardian/approvals</c>),
/// each taking a permit from its route's rate-limit window.
/// </summary>
internal sealed class GalaxyMutation : ObjectGraphType
{
    public GalaxyMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<DeploymentResultType>>("deployModel")
            .Description("Deploys a version to labscapes under a canary plan, after Guardian's check or the CEO's approval.")
            .Argument<NonNullGraphType<ModelDeploymentInputType>>("input")
            .Requires(Permissions.Deploy, audit: "deployment.start", rateLimit: RateLimitGroups.Models)
            .ResolveAsync(async context =>
            {
                var input = context.GetArgument<ModelDeploymentInput>("input");
                var services = context.RequestServices!;
                var spec = new DeploymentSpec(
                    input.Version, input.Labscapes, input.CanarySteps is null ? null : new CanarySpec(Steps: input.CanarySteps), input.Reason);
                var result = await DeploymentEndpoints.Start(
                    input.ModelId, spec, context.User!, services.GetRequiredService<ModelRegistry>(), services.GetRequiredService<TopologyCache>(),
                    services.GetRequiredService<IClusterClient>(), services.GetRequiredService<TimeProvider>(), context.CancellationToken);
                return GraphQLErrors.Unwrap<DeploymentResponse>(result.Result);
            });
        Field<NonNullGraphType<OptimizationResultType>>("optimizeModel")
            .Description("Makes a technique's result (int8, pruning, distillation, or prune and int8) the model's next version, PENDING, with lineage to the one optimized.")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<OptimizationConfigType>>("optimization")
            .Requires(Permissions.Optimize, audit: "model.version.optimize", rateLimit: RateLimitGroups.Optimization)
            .ResolveAsync(async context =>
            {
                var config = context.GetArgument<OptimizationConfig>("optimization");
                var services = context.RequestServices!;
                var result = await OptimizationEndpoints.Optimize(
                    context.GetArgument<string>("modelId"), config.Version ?? "latest",
                    new OptimizeBody(
                        config.Technique, config.StudentHidden, config.EnsembleTeacher, config.EnsembleSize, config.DistillEpochs, config.PruneFraction,
                        config.FineTuneEpochs, config.Int8, config.Dataset),
                    context.User!, services.GetRequiredService<ModelRegistry>(), services.GetRequiredService<DatasetStore>(),
                    services.GetRequiredService<IClusterClient>(), context.CancellationToken);
                return GraphQLErrors.Unwrap<OptimizedVersionResponse>(result.Result);
            });
        Field<NonNullGraphType<ApprovalRequestType>>("requestCEOApproval")
            .Description("Asks the CEO to approve the model's latest version.")
            .Argument<NonNullGraphType<IdGraphType>>("modelId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .Requires(Permissions.RequestApproval, audit: "approval.request", rateLimit: RateLimitGroups.Approvals)
            .ResolveAsync(async context =>
            {
                var services = context.RequestServices!;
                var result = await ApprovalEndpoints.RequestApproval(
                    new ApprovalRequestSpec(context.GetArgument<string>("modelId"), null, context.GetArgument<string>("reason")), context.User!,
                    services.GetRequiredService<ModelRegistry>(), services.GetRequiredService<ApprovalStore>(), context.CancellationToken);
                return GraphQLErrors.Unwrap<ApprovalResponse>(result.Result);
            });
    }
}

/// <summary>The schema: queries and mutations, no subscriptions.</summary>
internal sealed class GalaxySchema : Schema
{
    public GalaxySchema(IServiceProvider services, GalaxyQuery query, GalaxyMutation mutation)
        : base(services)
    {
        Query = query;
        Mutation = mutation;
    }
}
