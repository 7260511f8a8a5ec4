using System.Collections.Concurrent;
using System.Globalization;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;

namespace Galaxy.Gateway.Inference;

/// <summary>
/// Where inference by model goes: the units serving a model, each with the version it serves (stable or canary), from
/// what labscapes publish (<c>galaxy_labscape_serving</c>), refreshed every <see cref="Freshness"/>. A request goes to a
/// unit drawn uniformly from them, so the stable and canary versions share the traffic as they share the units.
/// </summary>
internal sealed class ModelRoutes(ServingIndex index, ModelRegistry registry, TopologyCache topology, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, Task<Routes> Routes)> _routes = new();
    private readonly ConcurrentDictionary<string, Task<ModelVersion?>> _versions = new();
    private readonly CanarySplits _splits = new();

    /// <summary>The model's routes, at most <see cref="Freshness"/> old (or read now, with <paramref name="refresh"/>).</summary>
    public Task<Routes> ForAsync(ModelInfo model, bool refresh = false)
    {
        var now = time.GetUtcNow();
        var cached = _routes.AddOrUpdate(
            model.Id,
            _ => (now, LoadAsync(model)),
            (_, current) => refresh || now - current.At > Freshness || current.Routes.IsFaulted ? (now, LoadAsync(model)) : current);
        return cached.Routes;
    }

    /// <summary>A version as the registry has it (versions never change, so it is read once).</summary>
    public async Task<ModelVersion?> VersionAsync(Guid modelId, int version)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{modelId}:{version}");
        var found = _versions.GetOrAdd(key, _ => registry.FindVersionAsync(modelId, version.ToString(CultureInfo.InvariantCulture), CancellationToken.None));
        try
        {
            return await found;
        }
        catch
        {
            _versions.TryRemove(new KeyValuePair<string, Task<ModelVersion?>>(key, found));
            throw;
        }
    }

    private async Task<Routes> LoadAsync(ModelInfo model)
    {
        var galaxy = await topology.GetAsync();
        var rows = await index.ServingAsync(model.Id, CancellationToken.None);
        var groups = new List<UnitGroup>();
        foreach (var row in rows)
        {
            var first = (long)row.LabscapeId * galaxy.UnitsPerLabscape;
            var stable = row.StableModel == model.Id ? new VersionRef(model.Name, row.StableVersion!.Value) : null;
            var canary = row.CanaryModel == model.Id ? new VersionRef(model.Name, row.CanaryVersion!.Value) : null;
            if (row.CanaryModel is null || row.CanaryBasisPoints == 0)
            {
                groups.Add(new UnitGroup(first, galaxy.UnitsPerLabscape, null, stable!));
                continue;
            }

            var split = _splits.Of(row.LabscapeId, row.Deployment, row.CanaryBasisPoints, first, galaxy.UnitsPerLabscape);
            if (canary is not null)
            {
                groups.Add(new UnitGroup(0, split.OnCanary.Length, split.OnCanary, canary));
            }

            if (stable is not null)
            {
                groups.Add(new UnitGroup(0, split.OnStable.Length, split.OnStable, stable));
            }
        }

        return new Routes(groups.Where(group => group.Count > 0).ToArray());
    }
}

/// <summary>A version of a model: its name and number (its key is <c>name:number</c>).</summary>
internal sealed record VersionRef(string Model, int Version)
{
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Model}:{Version}");
}

/// <summary>Units serving one version: a range from <see cref="First"/>, or the listed <see cref="Units"/>.</summary>
internal sealed record UnitGroup(long First, int Count, long[]? Units, VersionRef Version)
{
    public long this[int i] => Units is null ? First + i : Units[i];
}

/// <summary>The units serving a model, as groups; empty when no labscape serves it.</summary>
internal sealed class Routes(UnitGroup[] groups)
{
    private readonly long[] _ends = groups.Select(group => (long)group.Count).Aggregate(new List<long>(), (ends, count) =>
    {
        ends.Add((ends.Count == 0 ? 0 : ends[^1]) + count);
        return ends;
    }).ToArray();

    public long Units => _ends.Length == 0 ? 0 : _ends[^1];

    /// <summary>A unit drawn uniformly from every unit serving the model, and the version it serves.</summary>
    public (long Unit, VersionRef Version) Pick()
    {
        var draw = Random.Shared.NextInt64(Units);
        var group = Array.BinarySearch(_ends, draw + 1);
        group = group >= 0 ? group : ~group;
        var offset = draw - (group == 0 ? 0 : _ends[group - 1]);
        return (groups[group][(int)offset], groups[group].Version);
    }

    /// <summary>The version <paramref name="unitId"/> serves, if it serves the model.</summary>
    public VersionRef? VersionOf(long unitId) =>
        groups.FirstOrDefault(group => group.Units is null ? unitId >= group.First && unitId < group.First + group.Count : group.Units.Contains(unitId))?.Version;
}
