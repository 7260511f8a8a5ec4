namespace Galaxy.Gateway.Inference;

/// <summary>One answered inference, kept for its feedback: the unit that answered, the version, its features and label.</summary>
internal sealed record AnsweredInference(Guid ModelId, long UnitId, VersionRef Version, float[] Features, string? Label, string[] Classes);

/// <summary>
/// The inferences this gateway answered lately, by request id, so that feedback can name one: kept for
/// <see cref="Retention"/>, at most <see cref="Capacity"/>, the oldest going first when a new one needs the room.
/// Feedback goes to the gateway that answered; one that has forgotten the request answers <c>request-not-found</c>.
/// (A size-limited MemoryCache would not do: past its limit it refuses the newest entries until a compaction runs, so
/// a burst of answers loses exactly the ones feedback is about to name.)
/// </summary>
internal sealed class InferenceLog(TimeProvider clock, int capacity = InferenceLog.Capacity)
{
    public const int Capacity = 100_000;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly Dictionary<Guid, (AnsweredInference Inference, DateTimeOffset Until)> _answered = [];
    private readonly Queue<Guid> _oldestFirst = new();

    public void Remember(Guid requestId, AnsweredInference inference)
    {
        var now = clock.GetUtcNow();
        lock (_answered)
        {
            while (_oldestFirst.TryPeek(out var oldest) && (_answered.Count >= capacity || _answered[oldest].Until <= now))
            {
                _answered.Remove(_oldestFirst.Dequeue());
            }

            if (_answered.TryAdd(requestId, (inference, now + Retention)))
            {
                _oldestFirst.Enqueue(requestId);
            }
        }
    }

    public AnsweredInference? Find(Guid requestId)
    {
        lock (_answered)
        {
            return _answered.TryGetValue(requestId, out var kept) && kept.Until > clock.GetUtcNow() ? kept.Inference : null;
        }
    }
}
