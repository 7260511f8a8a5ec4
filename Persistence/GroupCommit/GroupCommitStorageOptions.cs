using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// Limits of the group-commit grain storage: how big a batch may grow, how long its first write may wait for company,
/// how many batches may be committing at once, and how many writes may queue before writers wait.
/// </summary>
public sealed class GroupCommitStorageOptions : IValidatableObject
{
    /// <summary>Where a silo's configuration holds these limits.</summary>
    public const string Section = "Galaxy:Storage:GroupCommit";

    /// <summary>The PostgreSQL database holding <c>OrleansStorage</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Most writes (rows) in one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxBatchRows { get; set; } = 1024;

    /// <summary>Most payload bytes in one transaction; a single larger write still goes, in a batch of its own.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Longest a batch waits, after its first write, for more writes before it flushes. Zero flushes what is queued at
    /// once; batches still grow while <see cref="MaxInFlightBatches"/> are committing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxLinger { get; set; } = TimeSpan.Zero;

    /// <summary>Most batches committing at once, each on its own connection.</summary>
    [Range(1, 64)]
    public int MaxInFlightBatches { get; set; } = 4;

    /// <summary>Most writes queued for a batch; further writers wait for room (back-pressure).</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedWrites { get; set; } = 16_384;

    /// <summary>
    /// After PostgreSQL proved unreachable, how long writes fail at once before the next batch tries it again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan OutageBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? problem = null;
        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            problem = exception.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult($"Invalid PostgreSQL connection string: {problem}", [nameof(ConnectionString)]);
        }
    }
}
