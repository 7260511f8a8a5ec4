using System.Text.Json;
using System.Text.Json.Serialization;

namespace Galaxy.Operations.Backup;

/// <summary>
/// What <c>galaxy-backup.json</c> says about one base backup: where in the server's WAL it starts and becomes
/// consistent, when it ran, its size, and the last verification.
/// </summary>
public sealed record BackupRecord
{
    public const string FileName = "galaxy-backup.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Id { get; init; }

    public required string ServerVersion { get; init; }

    /// <summary>The cluster's <c>pg_control</c> identifier: WAL from another cluster never applies to this backup.</summary>
    public required string SystemIdentifier { get; init; }

    public required int Timeline { get; init; }

    public required string StartLsn { get; init; }

    /// <summary>The WAL position from which a restore of this backup is consistent.</summary>
    public required string EndLsn { get; init; }

    /// <summary>The first WAL segment a restore from this backup needs.</summary>
    public required string StartWalFile { get; init; }

    public required long WalSegmentBytes { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the backup was complete: a restore from it can reach any moment after this.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    public required long Bytes { get; init; }

    public required int Files { get; init; }

    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>The last verification's verdict: null when it passed, else what failed.</summary>
    public string? VerificationFailure { get; init; }

    /// <summary>The last trial restore, when one ran: when, and what it found.</summary>
    public DateTimeOffset? TrialRestoredAt { get; init; }

    public string? TrialRestoreSummary { get; init; }

    [JsonIgnore]
    public bool Verified => VerifiedAt is not null && VerificationFailure is null;

    public static BackupRecord Read(string path) =>
        JsonSerializer.Deserialize<BackupRecord>(File.ReadAllText(path), Json)
        ?? throw new OperationsException($"{path} is empty.");

    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
