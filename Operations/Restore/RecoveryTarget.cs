using System.Globalization;

namespace Galaxy.Operations.Restore;

/// <summary>How far a restore replays the archived WAL past its base backup.</summary>
public abstract record RecoveryTarget
{
    /// <summary>Everything the archive holds: the last moment before the data was lost.</summary>
    public static RecoveryTarget Latest { get; } = new LatestTarget();

    /// <summary>Only to the end of the base backup: the earliest consistent state it gives.</summary>
    public static RecoveryTarget EndOfBackup { get; } = new EndOfBackupTarget();

    public static RecoveryTarget At(DateTimeOffset time) => new TimeTarget(time);

    /// <summary>The recovery settings for the server, beside <c>restore_command</c>.</summary>
    internal abstract IEnumerable<(string Name, string Value)> Settings { get; }

    public sealed record LatestTarget : RecoveryTarget
    {
        internal override IEnumerable<(string Name, string Value)> Settings => [];

        public override string ToString() => "the end of the archive";
    }

    public sealed record EndOfBackupTarget : RecoveryTarget
    {
        internal override IEnumerable<(string Name, string Value)> Settings => [("recovery_target", "immediate")];

        public override string ToString() => "the end of the base backup";
    }

    /// <summary>Replays every transaction committed at or before <paramref name="Time"/>, none after.</summary>
    public sealed record TimeTarget(DateTimeOffset Time) : RecoveryTarget
    {
        internal override IEnumerable<(string Name, string Value)> Settings =>
        [
            ("recovery_target_time", Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture)),
            ("recovery_target_inclusive", "on"),
        ];

        public override string ToString() => Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff 'UTC'", CultureInfo.InvariantCulture);
    }
}
