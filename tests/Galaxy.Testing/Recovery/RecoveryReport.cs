namespace Galaxy.Testing.Recovery;

/// <summary>What a <see cref="RecoveryDrill"/> saw. Times are seconds.</summary>
public sealed record RecoveryReport
{
    /// <summary>Units the drill learned on (and read back at the end).</summary>
    public required int Units { get; init; }

    public required long Acknowledged { get; init; }

    /// <summary>Acknowledged at or before the restore point and missing afterwards: must be 0.</summary>
    public required long LostBeforeRestorePoint { get; init; }

    /// <summary>Acknowledged after the restore point and missing: what the lost data folder cost.</summary>
    public required long LostAfterRestorePoint { get; init; }

    /// <summary>Acknowledged after the base backup finished and present after the restore: the archive's part.</summary>
    public required long RecoveredFromArchive { get; init; }

    /// <summary>From the oldest acknowledged learn that was lost to the destruction of the data folder (0: none lost).</summary>
    public required double RecoveryPointSeconds { get; init; }

    /// <summary>From the last transaction the restore replayed to the destruction of the data folder.</summary>
    public required double RestorePointAgeSeconds { get; init; }

    /// <summary>From the start of the restore until the gateway served a unit again.</summary>
    public required double RecoveryTimeSeconds { get; init; }

    public required double RestoreSeconds { get; init; }

    public required double BackupSeconds { get; init; }

    public required long BackupBytes { get; init; }

    /// <summary>Units whose restored parameters or learn counter differ from replaying their restored revision's learns: must be 0.</summary>
    public required int UnitsDiverged { get; init; }

    /// <summary>Answers that no sequence of the drill's own learns explains (a revision that jumped ahead): must be 0.</summary>
    public required long Anomalies { get; init; }

    public required double LearnsPerSecond { get; init; }

    /// <summary>The registry and training checks after the restore; null when all came back.</summary>
    public required string? ControlPlaneProblem { get; init; }

    /// <summary>The restored database's contents and audit chain.</summary>
    public required string RestoredDatabase { get; init; }

    public required bool AuditIntact { get; init; }
}
