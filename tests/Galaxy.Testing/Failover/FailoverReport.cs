namespace Galaxy.Testing.Failover;

/// <summary>What a <see cref="FailoverDrill"/> saw. Times are seconds from the fault; latencies milliseconds.</summary>
public sealed record FailoverReport
{
    /// <summary>Units the drill learned on (and read back at the end).</summary>
    public required int Units { get; init; }

    public required long Acknowledged { get; init; }

    /// <summary>Learns whose answer was lost but which landed (settled by a later 412 or the final read).</summary>
    public required long LandedUnanswered { get; init; }

    /// <summary>Acknowledged learns missing from the units' persisted state: must be 0.</summary>
    public required long LostAcknowledged { get; init; }

    /// <summary>Revisions that no sequence of the drill's own learns explains: must be 0.</summary>
    public required long Anomalies { get; init; }

    /// <summary>Units whose learn counter or parameters differ from replaying the ledger's learns: must be 0.</summary>
    public required int UnitsDiverged { get; init; }

    /// <summary>The largest difference between a unit's persisted parameters and the ledger's replay.</summary>
    public required float LargestParameterDifference { get; init; }

    /// <summary>Answers with status 500 or other unexpected statuses: must be 0.</summary>
    public required long UnexpectedAnswers { get; init; }

    public required double LearnsPerSecondBeforeKill { get; init; }

    /// <summary>From the kill until the last unit that failed after it was served again.</summary>
    public required double RecoverySeconds { get; init; }

    public required bool Recovered { get; init; }

    /// <summary>Learns sent while PostgreSQL was down that failed, and those among them not answered 503.</summary>
    public required long OutageFailures { get; init; }

    public required long OutageFailuresNot503 { get; init; }

    /// <summary>The slowest answer to a learn sent while PostgreSQL was down.</summary>
    public required double OutageSlowestAnswerMs { get; init; }

    /// <summary>Learns sent while PostgreSQL was down that were acknowledged: must be 0.</summary>
    public required long OutageAcknowledged { get; init; }

    /// <summary>From PostgreSQL's restart until the last unit that failed during the outage was served again.</summary>
    public required double DatabaseRecoverySeconds { get; init; }

    public required bool DatabaseRecovered { get; init; }

    /// <summary>Failed learns by phase and status (408: no answer at all, the connection broke or the client gave up).</summary>
    public required string Failures { get; init; }
}
