namespace Galaxy.Registry;

/// <summary>No model, version, alias or dataset by that id, name or number; <see cref="Kind"/> says which of the four.</summary>
public sealed class RegistryNotFoundException(string kind, string message) : Exception(message)
{
    public const string Model = "model";
    public const string Version = "version";
    public const string Alias = "alias";
    public const string Dataset = "dataset";

    public string Kind { get; } = kind;
}

/// <summary>
/// A value the registry will not store: a bad name, weights of the wrong length, a non-finite number. The message names
/// the field as the HTTP contract spells it and reads as one sentence (no "(Parameter …)" suffix).
/// </summary>
public sealed class InvalidRegistryInputException : ArgumentException
{
    private readonly string _sentence;

    public InvalidRegistryInputException(string field, string message)
        : base(message, field) => _sentence = message;

    public override string Message => _sentence;
}

public sealed class ModelConflictException(string name) : Exception($"A model named '{name}' already exists.")
{
    public string Name { get; } = name;
}

/// <summary>A status change the lifecycle does not allow (see <see cref="VersionTransitions"/>); nothing changed.</summary>
public sealed class IllegalTransitionException(string model, int version, VersionStatus from, VersionStatus to) : Exception(
    $"Version {version} of '{model}' is {from.ToWire()} and cannot become {to.ToWire()}; from {from.ToWire()} it may become "
    + (VersionTransitions.From(from) is { Count: > 0 } next ? string.Join(" or ", next.Select(status => status.ToWire())) : "nothing else")
    + ".")
{
    public VersionStatus From { get; } = from;

    public VersionStatus To { get; } = to;
}

/// <summary>Another dataset already has this name, with other content (the same content under any name is the same dataset).</summary>
public sealed class DatasetConflictException(string name) : Exception($"A dataset named '{name}' already exists with other content.")
{
    public string Name { get; } = name;
}

/// <summary>A dataset that versions, evaluations or training jobs refer to cannot be deleted.</summary>
public sealed class DatasetInUseException(string name, string usedBy) : Exception($"Dataset '{name}' is used by {usedBy}: it cannot be deleted.")
{
    public string Name { get; } = name;
}

/// <summary>
/// A CSV file that is not a dataset. <see cref="Line"/> is 1-based, the header being line 1; <see cref="Column"/> is the
/// column's name where the header gives one, else its 1-based position, and null when the fault is the whole line.
/// </summary>
public sealed class CsvDatasetException(int line, string? column, string problem)
    : Exception(column is null ? $"Line {line}: {problem}" : $"Line {line}, column '{column}': {problem}")
{
    public int Line { get; } = line;

    public string? Column { get; } = column;

    public string Problem { get; } = problem;
}

/// <summary>An upload longer than the configured limit; reading stopped there.</summary>
public sealed class DatasetTooLargeException(long maxBytes) : Exception($"Datasets may be at most {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
