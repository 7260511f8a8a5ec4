using Galaxy.Contracts;
using Galaxy.Gateway.Deployments;
using Galaxy.Registry.Deployments;

namespace Galaxy.Gateway.GraphQL;

/// <summary>One GraphQL request's context: its HTTP request (for the caller and the problems' mapping) and its batch loaders.</summary>
internal sealed class GalaxyUserContext : Dictionary<string, object?>
{
    public GalaxyUserContext(HttpContext http)
    {
        Http = http;
        var services = http.RequestServices;
        LatestDeployments = new BatchLoader<Guid, DeploymentSummary>(async (models, cancellationToken) =>
            (await services.GetRequiredService<DeploymentStore>().LatestOfModelsAsync([.. models], cancellationToken))
                .ToDictionary(row => row.ModelId, row => row.ToSummary()));
        Performance = new BatchLoader<string, VersionPerformanceFigures>((versions, cancellationToken) =>
            services.GetRequiredService<IPerformanceSource>().ForVersionsAsync(versions, cancellationToken));
    }

    public HttpContext Http { get; }

    /// <summary>The audited mutations this request ran: their action, field and outcome (an HTTP status, as REST would have answered).</summary>
    public List<(string Action, string Field, int Status)> Audited { get; } = [];

    /// <summary>Each model's newest deployment, by model id.</summary>
    public BatchLoader<Guid, DeploymentSummary> LatestDeployments { get; }

    /// <summary>Each version's inference figures, by version key (<c>digits:3</c>).</summary>
    public BatchLoader<string, VersionPerformanceFigures> Performance { get; }

    public static GalaxyUserContext Of(global::GraphQL.IResolveFieldContext context) => (GalaxyUserContext)context.UserContext;
}
