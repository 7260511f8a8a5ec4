using Microsoft.Extensions.Caching.Memory;

namespace Galaxy.Gateway.Inference;

/// <summary>One answered inference, kept for its feedback: the unit that answered, the version, its features and label.</summary>
internal sealed record AnsweredInference(Guid ModelId, long UnitId, VersionRef Version, float[] Features, string? Label, string[] Classes);

/// <summary>
/// The inferences this gateway answered lately, by request id, so that feedback can name one: kept for
/// <see cref="Retention"/>, at most <see cref="Capacity"/> (the oldest go first). Feedback goes to the gateway that
/// answered; one that has forgotten the request answers <c>request-not-found</c>.
/// </summary>
internal sealed class InferenceLog : IDisposable
{
    public const int Capacity = 100_000;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private readonly MemoryCache _answered = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public void Remember(Guid requestId, AnsweredInference inference) =>
        _answered.Set(requestId, inference, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Retention });

    public AnsweredInference? Find(Guid requestId) => _answered.TryGetValue(requestId, out AnsweredInference? inference) ? inference : null;

    public void Dispose() => _answered.Dispose();
}
