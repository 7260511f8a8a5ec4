using System.Collections.Concurrent;
using Galaxy.Registry;

namespace Galaxy.Grains.Labscapes;

/// <summary>A registry version's packed weights and the input standardisation it expects (offsets, scales).</summary>
public sealed record VersionWeights(float[] Parameters, float[] Offsets, float[] Scales);

/// <summary>
/// Registry versions' weights as the silo's labscapes serve them: read once per silo and version (versions never
/// change), so deploying to 256 labscapes costs one read of the registry, not 256.
/// </summary>
public sealed class VersionWeightsCache
{
    private readonly Func<ServedVersion, Task<VersionWeights>> _load;
    private readonly ConcurrentDictionary<string, Lazy<Task<VersionWeights>>> _versions = new();

    public VersionWeightsCache(ModelRegistry registry)
        : this(version => LoadAsync(registry, version))
    {
    }

    /// <summary>Versions' weights read from <paramref name="load"/> instead of the registry (fast tests: weights in memory).</summary>
    internal VersionWeightsCache(Func<ServedVersion, Task<VersionWeights>> load) => _load = load;

    public async Task<VersionWeights> GetAsync(ServedVersion version)
    {
        var load = _versions.GetOrAdd(version.Key, _ => new Lazy<Task<VersionWeights>>(() => _load(version)));
        try
        {
            return await load.Value;
        }
        catch
        {
            // A failed read (PostgreSQL away) is not remembered: the next call reads again.
            _versions.TryRemove(new KeyValuePair<string, Lazy<Task<VersionWeights>>>(version.Key, load));
            throw;
        }
    }

    private static async Task<VersionWeights> LoadAsync(ModelRegistry registry, ServedVersion version)
    {
        var number = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var found = await registry.FindVersionAsync(version.ModelId, number, CancellationToken.None)
            ?? throw new InvalidOperationException($"Version {version.Key} is not in the registry.");
        var weights = await registry.LoadWeightsAsync(version.ModelId, version.Version, CancellationToken.None);
        return new VersionWeights(weights, found.Preprocessing.Offsets, found.Preprocessing.Scales);
    }
}
