namespace Galaxy.Testing.Processes;

/// <summary>
/// The runtime settings that Galaxy's processes are deployed with but that only the environment can carry (README,
/// "Runtime settings"), as <c>./galaxy up</c>, <c>docker-compose.yml</c> and the Kubernetes manifests set them. For a
/// comparison, a run may override one in its own environment: the silo's by the runtime's own name, the gateway's
/// gen0 budget by <c>GALAXY_GATEWAY_GCgen0size</c>, since the benchmark process itself runs with the silo's.
/// </summary>
public static class DeployedEnvironment
{
    public const string Gen0Budget = "DOTNET_GCgen0size";
    public const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string GatewayGen0Budget = "GALAXY_GATEWAY_GCgen0size";

    /// <summary>The silo's: a 256 MiB gen0 budget.</summary>
    public static readonly IReadOnlyDictionary<string, string> SiloDefaults = new Dictionary<string, string> { [Gen0Budget] = "0x10000000" };

    /// <summary>The gateway's: a 64 MiB gen0 budget, and socket completions inline.</summary>
    public static readonly IReadOnlyDictionary<string, string> GatewayDefaults =
        new Dictionary<string, string> { [Gen0Budget] = "0x4000000", [InlineSocketCompletions] = "1" };

    public static IReadOnlyDictionary<string, string> Silo() => Settings(SiloDefaults, name => name);

    public static IReadOnlyDictionary<string, string> Gateway() =>
        Settings(GatewayDefaults, name => name == Gen0Budget ? GatewayGen0Budget : name);

    private static Dictionary<string, string> Settings(IReadOnlyDictionary<string, string> defaults, Func<string, string> overriddenBy) =>
        defaults.ToDictionary(setting => setting.Key, setting => Environment.GetEnvironmentVariable(overriddenBy(setting.Key)) ?? setting.Value);
}
