using System.Collections;
using Galaxy.Gateway;
using Galaxy.Gateway.Endpoints;
using Galaxy.Gateway.Guardian;
using Galaxy.Gateway.RateLimits;
using Galaxy.Grains;
using Galaxy.Grains.Training;
using Galaxy.Kernels;
using Galaxy.Persistence.Audit;
using Galaxy.Persistence.GroupCommit;
using Galaxy.Persistence.Tls;
using Galaxy.Registry.Protection;
using Galaxy.Silo;
using Galaxy.Silo.ControlPlane;
using Galaxy.Silo.Health;
using Galaxy.Telemetry;
using Orleans.Configuration;

namespace Galaxy.Operations.Tests.Kubernetes;

/// <summary>
/// The configuration keys the silo and the gateway read: each section they bind, with the options class it binds to
/// (its properties, lists and nested classes give the keys), and the single keys they read directly. A key set in a
/// manifest that matches none is a typo or a setting that was removed, and silently does nothing.
/// </summary>
public static class ConfigurationKeys
{
    public static readonly IReadOnlyList<(string Section, Type Options)> Silo =
    [
        (GalaxyClusterOptions.Section, typeof(GalaxyClusterOptions)),
        (GalaxyTopologyOptions.Section, typeof(GalaxyTopologyOptions)),
        (BatchingOptions.Section, typeof(BatchingOptions)),
        (LearningOptions.Section, typeof(LearningOptions)),
        (ComputeOptions.SectionName, typeof(ComputeOptions)),
        (TrainingOptions.Section, typeof(TrainingOptions)),
        (SiloHealthOptions.Section, typeof(SiloHealthOptions)),
        (ControlPlaneOptions.Section, typeof(ControlPlaneOptions)),
        (TransportSecurityOptions.Section, typeof(TransportSecurityOptions)),
        (DataProtectionOptions.Section, typeof(DataProtectionOptions)),
        (GroupCommitStorageOptions.Section, typeof(GroupCommitStorageOptions)),
        (GalaxySiloBuilderExtensions.MembershipSection, typeof(ClusterMembershipOptions)),
        (GalaxySiloBuilderExtensions.CollectionSection, typeof(GrainCollectionOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (LogFileOptions.Section, typeof(LogFileOptions)),
    ];

    public static readonly IReadOnlyList<(string Section, Type Options)> Gateway =
    [
        (GatewayClusterOptions.Section, typeof(GatewayClusterOptions)),
        (GuardianOptions.Section, typeof(GuardianOptions)),
        (RateLimitOptions.Section, typeof(RateLimitOptions)),
        (DatasetOptions.Section, typeof(DatasetOptions)),
        (GalaxyTopologyOptions.Section, typeof(GalaxyTopologyOptions)),
        (TransportSecurityOptions.Section, typeof(TransportSecurityOptions)),
        (DataProtectionOptions.Section, typeof(DataProtectionOptions)),
        (AuditOptions.Section, typeof(AuditOptions)),
        (MetricsOptions.Section, typeof(MetricsOptions)),
        (LogFileOptions.Section, typeof(LogFileOptions)),
    ];

    /// <summary>Keys read one by one: the connection string, the storage provider, the dashboard's interval.</summary>
    public static readonly IReadOnlyList<string> SiloSingles =
        ["ConnectionStrings:Galaxy", GalaxySiloBuilderExtensions.StorageProviderKey, GalaxySiloBuilderExtensions.DashboardCounterIntervalKey];

    public static readonly IReadOnlyList<string> GatewaySingles = ["ConnectionStrings:Galaxy", "Galaxy:Logging:PseudonymKey"];

    /// <summary>
    /// Read by the .NET host rather than by Galaxy: log levels (any category under <c>Logging:LogLevel</c>), the
    /// generic host's shutdown timeout, ASP.NET Core's listening addresses and Kestrel's certificate (the gateway).
    /// </summary>
    public static bool ReadByHost(string key, bool gateway) =>
        key.StartsWith("Logging:LogLevel:", StringComparison.OrdinalIgnoreCase)
        || key.Equals("shutdownTimeoutSeconds", StringComparison.OrdinalIgnoreCase)
        || (gateway && key.Equals("urls", StringComparison.OrdinalIgnoreCase))
        || (gateway && (key.Equals("Kestrel:Certificates:Default:Path", StringComparison.OrdinalIgnoreCase)
            || key.Equals("Kestrel:Certificates:Default:KeyPath", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Whether the silo (or the gateway) reads <paramref name="key"/> (<c>Galaxy:Cluster:SiloPort</c>).</summary>
    public static bool IsRead(string key, bool gateway)
    {
        var sections = gateway ? Gateway : Silo;
        var singles = gateway ? GatewaySingles : SiloSingles;
        if (ReadByHost(key, gateway) || singles.Any(single => single.Equals(key, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var (section, options) in sections)
        {
            if (key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase)
                && Binds(options, key[(section.Length + 1)..].Split(':')))
            {
                return true;
            }
        }

        return false;
    }

    // The path names a settable property, through lists (an index) and dictionaries (any key) down to a value.
    private static bool Binds(Type type, ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return IsValue(type);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return Binds(type.GetGenericArguments()[1], path[1..]);
        }

        if (type.IsArray || (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string)))
        {
            return int.TryParse(path[0], out _) && Binds(type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0], path[1..]);
        }

        var name = path[0];
        var property = type.GetProperties().FirstOrDefault(candidate => candidate.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return property is not null && (property.CanWrite || !IsValue(property.PropertyType)) && Binds(property.PropertyType, path[1..]);
    }

    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal)
               || type == typeof(DateTimeOffset) || type == typeof(Uri);
    }
}
