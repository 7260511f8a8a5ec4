using System.Collections.Concurrent;
using Galaxy.Registry;

namespace Galaxy.Gateway.Inference;

/// <summary>
/// Models by id or name for the inference routes, read from the registry at most every <see cref="Freshness"/> per
/// name: an inference does not pay a query, and a change of tags (<c>learn-from-feedback</c>) shows within seconds.
/// </summary>
internal sealed class ModelDirectory(ModelRegistry registry, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<ModelInfo?> Model)> _models = new(StringComparer.Ordinal);

    public async Task<ModelInfo?> FindAsync(string idOrName)
    {
        var now = time.GetUtcNow();
        var entry = _models.AddOrUpdate(
            idOrName,
            _ => (now, registry.FindModelAsync(idOrName, CancellationToken.None)),
            (_, cached) => now - cached.At > Freshness || cached.Model.IsFaulted ? (now, registry.FindModelAsync(idOrName, CancellationToken.None)) : cached);
        try
        {
            // Only models that exist are remembered: names nobody registered cannot grow the directory.
            return await entry.Model ?? Forget(idOrName, entry);
        }
        catch
        {
            Forget(idOrName, entry);
            throw;
        }
    }

    private ModelInfo? Forget(string idOrName, (DateTimeOffset, Task<ModelInfo?>) entry)
    {
        _models.TryRemove(new KeyValuePair<string, (DateTimeOffset, Task<ModelInfo?>)>(idOrName, entry));
        return null;
    }
}
