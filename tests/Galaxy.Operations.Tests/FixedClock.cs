namespace Galaxy.Operations.Tests;

/// <summary>A clock that always reads one moment, so a recorded time can be checked exactly.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
