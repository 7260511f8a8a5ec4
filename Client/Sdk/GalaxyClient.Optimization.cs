using Galaxy.Contracts;

namespace Galaxy.Client;

// Optimization: /v1/optimization/analyze and /v1/models/{id}/versions/{v}/optimize. Both train in the cluster, so they may
// take minutes: give the HttpClient a timeout to match.
public sealed partial class GalaxyClient
{
    /// <summary>What int8, pruning, distillation and their combination would keep of a version. Changes nothing, so it is retried.</summary>
    public Task<OptimizationAnalysisResponse> AnalyzeOptimizationsAsync(AnalyzeBody analysis, CancellationToken cancellationToken = default) =>
        SendAsync<OptimizationAnalysisResponse>(HttpMethod.Post, "/v1/optimization/analyze", analysis, cancellationToken);

    /// <summary>Registers a technique's result as the model's next version, <c>PENDING</c> (the seed's <c>optimizeModel</c>). Sent once (a 429 aside).</summary>
    public Task<OptimizedVersionResponse> OptimizeVersionAsync(string model, string version, OptimizeBody plan, CancellationToken cancellationToken = default) =>
        SendAsync<OptimizedVersionResponse>(HttpMethod.Post, VersionPath(model, version) + "/optimize", plan, cancellationToken, safeToRepeat: false);
}
