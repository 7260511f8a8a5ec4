using System.Diagnostics;

namespace Galaxy.Persistence.Audit;

/// <summary>
/// One row for the audit chain: who did what to which target, with what outcome, when, and a SHA-256 (hex) of what
/// they sent. The gateway's rows carry an HTTP status as outcome; rows the control plane writes for a change it made
/// carry <see cref="ChangeMade"/>.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Principal, string Action, string Target, int Outcome, string RequestDigest)
{
    /// <summary>The outcome of a row written for a change in the same transaction as the change: it happened.</summary>
    public const int ChangeMade = 0;

    /// <summary>
    /// The W3C trace id of the request being served where the entry was made (<see cref="Activity.Current"/>): the id
    /// that request's log lines carry, so the row and the logs find each other (schema 0027). Null outside a request.
    /// </summary>
    public string? TraceId { get; init; } = CurrentTraceId();

    /// <summary>The current activity's trace id as 32 lowercase hex digits; null without a W3C activity.</summary>
    public static string? CurrentTraceId() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.TraceId.ToHexString() : null;
}
