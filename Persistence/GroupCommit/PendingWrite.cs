namespace Galaxy.Persistence.GroupCommit;

/// <summary>
/// One grain's write waiting for its batch to commit: a new payload (null clears the state) that applies only if the row
/// is still at <see cref="ExpectedVersion"/> (null: only if there is no row yet).
/// </summary>
internal sealed class PendingWrite(StorageRowKey key, int? expectedVersion, byte[]? payload)
{
    // Completions run on the thread pool, not inline on the writer loop that commits a thousand of them at once.
    private readonly TaskCompletionSource<bool> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StorageRowKey Key { get; } = key;

    public int? ExpectedVersion { get; } = expectedVersion;

    public byte[]? Payload { get; } = payload;

    /// <summary>The row's version once this write has committed: the stock provider's numbering, the first write is 1.</summary>
    public int NewVersion => (ExpectedVersion ?? 0) + 1;

    /// <summary>True once committed; false when the row was not at the expected version and is untouched.</summary>
    public Task<bool> Outcome => _outcome.Task;

    /// <summary>Its batch committed; <paramref name="applied"/> says whether this write passed its version check.</summary>
    public void Completed(bool applied) => _outcome.TrySetResult(applied);

    public void Failed(Exception exception) => _outcome.TrySetException(exception);
}
