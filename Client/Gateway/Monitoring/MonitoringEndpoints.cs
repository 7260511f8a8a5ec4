using Galaxy.Contracts;
using System.Globalization;
using System.Security.Claims;
using Galaxy.Gateway.Audit;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Registry;
using Galaxy.Registry.Monitoring;

namespace Galaxy.Gateway.Monitoring;

/// <summary>
/// The performance log as the seed's <c>performanceReport(timeRange)</c>, and each model's alert thresholds. Reads are
/// not rate limited: a dashboard refreshes them every second.
/// </summary>
internal static class MonitoringEndpoints
{
    private static readonly TimeSpan DefaultRange = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapMonitoringEndpoints(this IEndpointRouteBuilder routes)
    {
        var monitoring = routes.MapGroup("/v1/monitoring").WithTags("Monitoring");
        monitoring.MapGet("/report", Report).RequireAuthorization(Permissions.ReadMonitoring)
            .WithName("PerformanceReport").WithSummary("Each served version's latency, accuracy, throughput and errors, and each silo's resource use, over a time range.");
        monitoring.MapGet("/thresholds/{model}", GetThresholds).RequireAuthorization(Permissions.ReadMonitoring)
            .WithName("GetThresholds").WithSummary("A model's alert thresholds (the seed's unless set).");
        monitoring.MapPut("/thresholds/{model}", SetThresholds).RequireAuthorization(Permissions.ConfigureAlerts)
            .RequireRateLimiting(RateLimitGroups.Models).Audited("monitoring.thresholds.set")
            .WithName("SetThresholds").WithSummary("Sets a model's alert thresholds; what is omitted takes the seed's default.");
        return routes;
    }

    private static async Task<Results<Ok<PerformanceReport>, ProblemHttpResult>> Report(
        ModelRegistry registry, PerformanceLog log, ThresholdStore thresholds, MonitoringOptions options, TimeProvider clock,
        CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null, string? model = null, int? stepSeconds = null)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? end - DefaultRange;
        if (RangeProblem(start, end) is { } rangeProblem)
        {
            return rangeProblem;
        }

        var maxStep = (int)Math.Ceiling((end - start).TotalSeconds);
        if (stepSeconds is { } asked && (asked < options.IntervalSeconds || asked % options.IntervalSeconds != 0 || asked > Math.Max(maxStep, options.IntervalSeconds)))
        {
            return Problems.InvalidInput(string.Create(
                CultureInfo.InvariantCulture, $"'stepSeconds' must be a multiple of the log's interval ({options.IntervalSeconds} s), no wider than the range."));
        }

        Guid? modelId = null;
        if (model is not null)
        {
            if (await registry.FindModelAsync(model, cancellationToken) is not { } found)
            {
                return Problems.ModelNotFound(model);
            }

            modelId = found.Id;
        }

        var intervals = await log.VersionsAsync(start, end, modelId, cancellationToken);
        var silos = await log.SilosAsync(start, end, cancellationToken);
        var set = await thresholds.AllAsync(cancellationToken);
        var step = stepSeconds ?? PerformanceReports.DefaultStep(start, end, options.IntervalSeconds);
        return TypedResults.Ok(PerformanceReports.Build(
            start, end, step, options, intervals, silos,
            (id, name) => (set.GetValueOrDefault(id) ?? ModelThresholds.Default).ToResponse(new NamedReference(id, name), null) with { IsDefault = !set.ContainsKey(id) }));
    }

    /// <summary>Why a report's range cannot be read (GraphQL's <c>performanceReport</c> holds its range to it too); null when it can.</summary>
    internal static ProblemHttpResult? RangeProblem(DateTimeOffset from, DateTimeOffset to) =>
        from >= to || to - from > MaxRange
            ? Problems.InvalidInput(string.Create(CultureInfo.InvariantCulture, $"'from' must come before 'to', at most {MaxRange.TotalDays} days before it."))
            : null;

    private static async Task<Results<Ok<ThresholdsResponse>, ProblemHttpResult>> GetThresholds(
        string model, ModelRegistry registry, ThresholdStore thresholds, CancellationToken cancellationToken)
    {
        if (await registry.FindModelAsync(model, cancellationToken) is not { } found)
        {
            return Problems.ModelNotFound(model);
        }

        var set = await thresholds.FindAsync(found.Id, cancellationToken);
        return TypedResults.Ok((set?.Thresholds ?? ModelThresholds.Default).ToResponse(new NamedReference(found.Id, found.Name), set));
    }

    private static async Task<Results<Ok<ThresholdsResponse>, ProblemHttpResult>> SetThresholds(
        string model, ThresholdsBody body, ClaimsPrincipal user, ModelRegistry registry, ThresholdStore thresholds, CancellationToken cancellationToken)
    {
        var wanted = body.ToThresholds();
        if (wanted.Problems() is { Count: > 0 } problems)
        {
            return Problems.InvalidInput(string.Join(" ", problems));
        }

        if (await registry.FindModelAsync(model, cancellationToken) is not { } found)
        {
            return Problems.ModelNotFound(model);
        }

        var set = await thresholds.SetAsync(found.Id, wanted, GuardianClaims.SubjectOf(user), cancellationToken);
        return TypedResults.Ok(set.Thresholds.ToResponse(new NamedReference(found.Id, found.Name), set));
    }
}
