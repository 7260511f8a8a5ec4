namespace Galaxy.Grains;

/// <summary>A unit or labscape id outside the galaxy's topology: such a grain does not exist.</summary>
[GenerateSerializer, Alias("galaxy.key-out-of-range")]
public sealed class GalaxyKeyOutOfRangeException : Exception
{
    public GalaxyKeyOutOfRangeException()
    {
    }

    public GalaxyKeyOutOfRangeException(string message)
        : base(message)
    {
    }

    public GalaxyKeyOutOfRangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GalaxyKeyOutOfRangeException(string kind, long id, long count)
        : base($"{kind} {id} does not exist: ids run from 0 to {count - 1}.")
    {
        Kind = kind;
        Id = id;
    }

    [Id(0)]
    public string Kind { get; init; } = "";

    [Id(1)]
    public long Id { get; init; }
}
