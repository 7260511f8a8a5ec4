namespace Galaxy.Grains;

/// <summary>The labscape's queue is full: the request was refused at once and may be retried after a short pause.</summary>
[GenerateSerializer, Alias("galaxy.labscape-overloaded")]
public sealed class LabscapeOverloadedException : Exception
{
    public LabscapeOverloadedException()
    {
    }

    public LabscapeOverloadedException(string message)
        : base(message)
    {
    }

    public LabscapeOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The request's deadline passed before its batch was launched: nothing was computed or changed.</summary>
[GenerateSerializer, Alias("galaxy.request-timed-out")]
public sealed class RequestTimedOutException : Exception
{
    public RequestTimedOutException()
    {
    }

    public RequestTimedOutException(string message)
        : base(message)
    {
    }

    public RequestTimedOutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An input or target of the wrong length, or with NaN or infinity: refused before anything ran.</summary>
[GenerateSerializer, Alias("galaxy.invalid-unit-input")]
public sealed class InvalidUnitInputException : Exception
{
    public InvalidUnitInputException()
    {
    }

    public InvalidUnitInputException(string message)
        : base(message)
    {
    }

    public InvalidUnitInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A conditional learn named a revision the unit is no longer (or not yet) at: nothing was computed or changed. The
/// caller's view of the unit is out of date, for instance because an earlier attempt whose answer was lost did land.
/// </summary>
[GenerateSerializer, Alias("galaxy.revision-mismatch")]
public sealed class RevisionMismatchException : Exception
{
    public RevisionMismatchException()
    {
    }

    public RevisionMismatchException(string message)
        : base(message)
    {
    }

    public RevisionMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RevisionMismatchException(long unitId, long expected, long actual)
        : base($"Unit {unitId} is at revision {actual}, not the expected {expected}; nothing was changed.")
    {
        Expected = expected;
        Actual = actual;
    }

    [Id(0)]
    public long Expected { get; init; }

    [Id(1)]
    public long Actual { get; init; }
}
