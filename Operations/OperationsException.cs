namespace Galaxy.Operations;

/// <summary>An operation that cannot go on, with a message meant for the operator: what is wrong and what to do.</summary>
public sealed class OperationsException(string message, Exception? inner = null) : Exception(message, inner);
