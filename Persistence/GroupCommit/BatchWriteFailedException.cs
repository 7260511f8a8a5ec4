namespace Galaxy.Persistence.GroupCommit;

/// <summary>The batch this write shared a transaction with failed, so nothing in it, this write included, was committed.</summary>
public sealed class BatchWriteFailedException(string message, Exception cause) : Exception(message, cause);
