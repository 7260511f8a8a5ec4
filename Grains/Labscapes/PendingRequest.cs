namespace Galaxy.Grains.Labscapes;

/// <summary>A request waiting in a labscape's queue for its batch.</summary>
internal abstract class PendingRequest(int row, float[] input, long enqueuedAt, long? deadline)
{
    /// <summary>The row of the served model's table the request computes with.</summary>
    public int Row { get; } = row;

    public float[] Input { get; } = input;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> ticks after which the request must not be launched.</summary>
    public long? Deadline { get; } = deadline;

    /// <summary>Requests batch together only with requests of an equal key (same operation, same learn settings).</summary>
    public abstract object BatchKey { get; }

    public abstract void Fail(Exception exception);
}

internal sealed class PendingPredict(int row, float[] input, long enqueuedAt, long? deadline)
    : PendingRequest(row, input, enqueuedAt, deadline)
{
    public static readonly object Key = new();

    public TaskCompletionSource<float[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override object BatchKey => Key;

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}

internal sealed class PendingLearn(int row, float[] input, float[] target, LearnSpec spec, long enqueuedAt, long? deadline)
    : PendingRequest(row, input, enqueuedAt, deadline)
{
    public float[] Target { get; } = target;

    public LearnSpec Spec { get; } = spec;

    public TaskCompletionSource<LearnedParameters> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override object BatchKey => Spec;

    public override void Fail(Exception exception) => Completion.TrySetException(exception);
}
