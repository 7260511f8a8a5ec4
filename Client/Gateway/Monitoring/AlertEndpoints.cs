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
/// The alerts the monitor fires (<c>IMonitoringGrain</c>), their webhook deliveries with the dead letters, and a
/// person's acknowledgement, which stops an alert escalating. Reads are not rate limited: a dashboard refreshes them
/// every second.
/// </summary>
internal static class AlertEndpoints
{
    public const int MaxCommentLength = 1_000;

    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder routes)
    {
        var alerts = routes.MapGroup("/v1/alerts").WithTags("Alerts");
        alerts.MapGet("/", List).RequireAuthorization(Permissions.ReadMonitoring)
            .WithName("ListAlerts").WithSummary("Alerts, newest first, optionally of one state (firing, resolved) and severity (warning, critical).");
        alerts.MapGet("/deliveries", Deliveries).RequireAuthorization(Permissions.ReadMonitoring)
            .WithName("ListAlertDeliveries").WithSummary("Webhook deliveries of alert events, newest first, optionally of one status (pending, delivered, dead).");
        alerts.MapGet("/{id}", Get).RequireAuthorization(Permissions.ReadMonitoring)
            .WithName("GetAlert").WithSummary("An alert.");
        alerts.MapPost("/{id}/acknowledge", Acknowledge).RequireAuthorization(Permissions.AcknowledgeAlerts)
            .RequireRateLimiting(RateLimitGroups.Models).Audited("alert.acknowledge")
            .WithName("AcknowledgeAlert").WithSummary("A person takes the alert on: it stops escalating.");
        return routes;
    }

    /// <summary>The list route's handler, which GraphQL's <c>alerts</c> calls too.</summary>
    internal static async Task<Results<Ok<AlertPage>, ProblemHttpResult>> List(
        AlertStore alerts, CancellationToken cancellationToken, string? state = null, string? severity = null, int offset = 0, int limit = 100)
    {
        if (state is not (null or AlertStates.Firing or AlertStates.Resolved))
        {
            return Problems.InvalidInput("'state' must be firing or resolved.");
        }

        if (severity is not (null or AlertSeverities.Warning or AlertSeverities.Critical))
        {
            return Problems.InvalidInput("'severity' must be warning or critical.");
        }

        if (PagingProblem(offset, limit) is { } problem)
        {
            return problem;
        }

        var page = await alerts.ListAsync(state, severity, offset, limit, cancellationToken);
        return TypedResults.Ok(page.ToResponse());
    }

    private static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> Deliveries(
        AlertDeliveries deliveries, CancellationToken cancellationToken, string? status = null, int offset = 0, int limit = 100)
    {
        if (status is not (null or "pending" or "delivered" or "dead"))
        {
            return Problems.InvalidInput("'status' must be pending, delivered or dead.");
        }

        if (PagingProblem(offset, limit) is { } problem)
        {
            return problem;
        }

        var page = await deliveries.ListAsync(status, offset, limit, cancellationToken);
        return TypedResults.Ok(new DeliveryPage(page.Items.Select(delivery => delivery.ToResponse()).ToArray(), page.Offset, page.Limit, page.Total));
    }

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> Get(string id, AlertStore alerts, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var alertId) && await alerts.FindAsync(alertId, cancellationToken) is { } alert
            ? TypedResults.Ok(alert.ToResponse())
            : NoSuchAlert(id);

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> Acknowledge(
        string id, AcknowledgeBody? body, ClaimsPrincipal user, AlertStore alerts, CancellationToken cancellationToken)
    {
        if (body?.Comment is { Length: > MaxCommentLength })
        {
            return Problems.InvalidInput(string.Create(CultureInfo.InvariantCulture, $"'comment' holds at most {MaxCommentLength} characters."));
        }

        if (!Guid.TryParse(id, out var alertId))
        {
            return NoSuchAlert(id);
        }

        try
        {
            return await alerts.AcknowledgeAsync(alertId, GuardianClaims.SubjectOf(user), body?.Comment, cancellationToken) is { } acknowledged
                ? TypedResults.Ok(acknowledged.ToResponse())
                : NoSuchAlert(id);
        }
        catch (AlertAlreadyAcknowledgedException already)
        {
            return Problems.Conflict("alert-already-acknowledged", "Alert already acknowledged", already.Message);
        }
    }

    private static ProblemHttpResult? PagingProblem(int offset, int limit) =>
        offset < 0 || limit is < 1 or > Paging.MaxLimit
            ? Problems.InvalidInput(string.Create(CultureInfo.InvariantCulture, $"'offset' must be ≥ 0 and 'limit' in 1…{Paging.MaxLimit}."))
            : null;

    private static ProblemHttpResult NoSuchAlert(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, "alert-not-found", "No such alert", $"No alert has the id '{Truncate(id)}'.");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
