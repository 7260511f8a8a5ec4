namespace Galaxy.Operations.Restore;

/// <summary>What a restore did and what came back.</summary>
/// <param name="BackupId">The base backup it started from.</param>
/// <param name="RestoredTo">The commit time of the last transaction replayed, when the server reported one.</param>
/// <param name="Timeline">The restored server's new timeline.</param>
/// <param name="MovedAside">Where the data folder it replaced went, if it replaced one.</param>
/// <param name="Database">The restored database's contents and checks.</param>
/// <param name="CopySeconds">Laying down the base backup.</param>
/// <param name="RecoverySeconds">From the server's start to its promotion: replaying the WAL.</param>
public sealed record RestoreResult(
    string BackupId,
    DateTimeOffset? RestoredTo,
    int Timeline,
    string? MovedAside,
    RestoredDatabase Database,
    double CopySeconds,
    double RecoverySeconds,
    string ConnectionString);
