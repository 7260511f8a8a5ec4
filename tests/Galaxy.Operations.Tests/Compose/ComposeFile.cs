using Galaxy.Testing.Processes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Galaxy.Operations.Tests.Compose;

/// <summary>
/// A compose file's services as plain maps, with YAML merge keys (<c>&lt;&lt;: *anchor</c>) resolved, and more files
/// laid over it as <c>docker compose -f a -f b</c> does for the parts Galaxy's files use: maps merge key by key, lists of
/// volumes add up, any other value is replaced.
/// </summary>
public sealed class ComposeFile
{
    private ComposeFile(Dictionary<string, Dictionary<object, object>> services) => Services = services;

    public IReadOnlyDictionary<string, Dictionary<object, object>> Services { get; }

    public static ComposeFile Load(params string[] files)
    {
        var services = new Dictionary<string, Dictionary<object, object>>();
        foreach (var file in files)
        {
            using var reader = new StreamReader(Path.Combine(RepositoryBuild.Root, file));
            var document = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
            foreach (var (name, service) in (Dictionary<object, object>)document["services"])
            {
                services[(string)name] = services.TryGetValue((string)name, out var earlier)
                    ? Overlay(earlier, (Dictionary<object, object>)service)
                    : (Dictionary<object, object>)service;
            }
        }

        return new ComposeFile(services);
    }

    /// <summary>A service's environment, whichever form it is written in.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service) =>
        Services[service].TryGetValue("environment", out var environment)
            ? ((Dictionary<object, object>)environment).ToDictionary(pair => (string)pair.Key, pair => (string)pair.Value)
            : new Dictionary<string, string>();

    public IReadOnlyList<string> List(string service, string key) =>
        Services[service].TryGetValue(key, out var value) ? ((List<object>)value).Cast<string>().ToList() : [];

    private static Dictionary<object, object> Overlay(Dictionary<object, object> under, Dictionary<object, object> over)
    {
        var merged = new Dictionary<object, object>(under);
        foreach (var (key, value) in over)
        {
            merged[key] = (merged.GetValueOrDefault(key), value) switch
            {
                (Dictionary<object, object> a, Dictionary<object, object> b) => Overlay(a, b),
                (List<object> a, List<object> b) when (string)key == "volumes" => a.Concat(b).ToList(),
                _ => value,
            };
        }

        return merged;
    }
}
