namespace Galaxy.Registry;

/// <summary>
/// The lifecycle's legal moves: a version is approved or retired while pending, deployed or retired once approved,
/// rolled back or retired while deployed, retired after a rollback. Retired is final; nothing moves to PENDING.
/// </summary>
public static class VersionTransitions
{
    private static readonly Dictionary<VersionStatus, VersionStatus[]> Legal = new()
    {
        [VersionStatus.Pending] = [VersionStatus.Approved, VersionStatus.Retired],
        [VersionStatus.Approved] = [VersionStatus.Deployed, VersionStatus.Retired],
        [VersionStatus.Deployed] = [VersionStatus.RolledBack, VersionStatus.Retired],
        [VersionStatus.RolledBack] = [VersionStatus.Retired],
        [VersionStatus.Retired] = [],
    };

    public static bool IsLegal(VersionStatus from, VersionStatus to) => Array.IndexOf(Legal[from], to) >= 0;

    /// <summary>The statuses a version in <paramref name="from"/> may move to.</summary>
    public static IReadOnlyList<VersionStatus> From(VersionStatus from) => Legal[from];
}
