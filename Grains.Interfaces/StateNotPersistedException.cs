namespace Galaxy.Grains;

/// <summary>
/// A state change could not be made durable (PostgreSQL unreachable or failing): nothing was acknowledged, and the
/// caller may retry. Carries the storage error's message, not its (unserializable) type.
/// </summary>
[GenerateSerializer, Alias("galaxy.state-not-persisted")]
public sealed class StateNotPersistedException : Exception
{
    public StateNotPersistedException()
    {
    }

    public StateNotPersistedException(string message)
        : base(message)
    {
    }

    public StateNotPersistedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
