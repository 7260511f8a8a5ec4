using System.Net;
using System.Net.Sockets;
using Galaxy.Grains;
using Galaxy.Grains.Labscapes;
using Galaxy.Grains.Placement;
using Galaxy.Grains.Training;
using Galaxy.Registry;
using Galaxy.Registry.Protection;
using Galaxy.Registry.Training;
using Galaxy.Grains.Deployments;
using Galaxy.Registry.Deployments;
using Galaxy.Silo.ControlPlane;
using Galaxy.Silo.Health;
using Galaxy.Silo.Monitoring;
using Galaxy.Telemetry;
using OpenTelemetry.Metrics;
using Galaxy.Kernels;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Dashboard;
using Galaxy.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace Galaxy.Silo;

public static class GalaxySiloBuilderExtensions
{
    /// <summary>The ADO.NET provider name for PostgreSQL through Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>Which grain storage provider keeps unit and labscape state (<see cref="GalaxyStorageProvider"/>).</summary>
    public const string StorageProviderKey = "Galaxy:Storage:Provider";

    /// <summary>Orleans's <c>GrainCollectionOptions</c>: how long idle grains are kept, shedding under memory pressure.</summary>
    public const string CollectionSection = "Galaxy:Collection";

    /// <summary>Orleans's <c>ClusterMembershipOptions</c>: failure detection (probes, missed probes, votes).</summary>
    public const string MembershipSection = "Galaxy:Membership";

    /// <summary>Seconds between the Orleans dashboard's samples of the runtime's counters (60 unless set).</summary>
    public const string DashboardCounterIntervalKey = "Galaxy:Dashboard:CounterIntervalSeconds";

    /// <summary>
    /// Everything a Galaxy silo needs apart from its endpoints and cluster identity: ADO.NET clustering and grain
    /// storage on PostgreSQL (group commit by default, or the stock ADO.NET provider; state in the Orleans binary
    /// format either way, in the same rows), the schema applied at start, the topology, the compute backend, and mutual
    /// TLS between silos and clients when <c>Galaxy:Tls</c> is set.
    /// </summary>
    public static ISiloBuilder UseGalaxy(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration.GetGalaxyConnectionString();

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
        var provider = configuration.GetValue(StorageProviderKey, GalaxyStorageProvider.GroupCommit);
        if (provider == GalaxyStorageProvider.GroupCommit)
        {
            silo.AddGalaxyGroupCommitStorage(GrainStorage.Galaxy, connectionString, configuration);
        }
        else
        {
            silo.AddAdoNetGrainStorage(GrainStorage.Galaxy, options =>
            {
                options.Invariant = NpgsqlInvariant;
                options.ConnectionString = connectionString;
            });

            // Orleans's binary serializer instead of the default JSON: no $type names, less than half the bytes.
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(GrainStorage.Galaxy)
                .Configure<IServiceProvider>((options, services) =>
                    options.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services));
        }

        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
            new SchemaMigrationParticipant(connectionString, services.GetRequiredService<ILogger<Persistence.SchemaMigrator>>()));

        silo.Services.AddSingleton(TimeProvider.System);
        silo.Services.AddOptions<GalaxyTopologyOptions>()
            .Bind(configuration.GetSection(GalaxyTopologyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddOptions<BatchingOptions>()
            .Bind(configuration.GetSection(BatchingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddOptions<LearningOptions>()
            .Bind(configuration.GetSection(LearningOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // One topology and one learning spec per silo, shared by every grain instead of built per activation: a
        // million activations would otherwise carry three million small copies for the GC to trace.
        silo.Services.AddSingleton(services => services.GetRequiredService<IOptions<GalaxyTopologyOptions>>().Value.ToTopology());
        silo.Services.AddSingleton(services => services.GetRequiredService<IOptions<LearningOptions>>().Value.ToSpec());

        silo.UseGalaxyCompute(configuration);
        silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        silo.UseGalaxyTraining(configuration);
        silo.UseGalaxyMonitoring(configuration);
        silo.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(services));
        silo.Services.AddSingleton<IUnitStateSource, PostgresUnitStateSource>();
        silo.Services.AddSingleton<LocalLabscapes>();
        silo.Services.AddSingleton<VersionWeightsCache>();
        silo.Services.AddPlacementDirector<SpreadOverSilosPlacement, LabscapeSiloDirector>();
        silo.Services.AddPlacementDirector<ColocatedWithLabscapePlacement, LabscapeSiloDirector>();
        silo.Services.AddPlacementDirector<OnSiloOfKeyPlacement, OnSiloOfKeyDirector>();

        // A galaxy is meant to stay fully active: idle units are kept for hours, not Orleans's default minutes, and
        // when memory runs short the silo sheds the least recently used activations rather than fail.
        silo.Services.Configure<GrainCollectionOptions>(options =>
        {
            options.CollectionAge = TimeSpan.FromHours(2);
            options.EnableActivationSheddingOnMemoryPressure = true;
            options.MemoryUsageLimitPercentage = 90;
            options.MemoryUsageTargetPercentage = 80;
        });
        silo.Services.Configure<GrainCollectionOptions>(configuration.GetSection(CollectionSection));

        // Failure detection in seconds rather than Orleans's default tens of seconds: a silo that misses two 2-second
        // probes is suspected, and one vote declares it dead, after which its grains reactivate elsewhere from their
        // persisted state. The cost is more probe traffic, trivial for a few silos on one network.
        silo.Services.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 2;
            options.NumVotesForDeathDeclaration = 1;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        });
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));

        silo.UseGalaxyDashboard(configuration);
        silo.UseGalaxyTls(configuration);
        silo.Services.AddOptions<SiloHealthOptions>()
            .Bind(configuration.GetSection(SiloHealthOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddHostedService<SiloHealthEndpoint>();
        silo.Services.AddGalaxyMetrics(configuration, "galaxy-silo", (metrics, options) =>
        {
            if (options.Port != 0)
            {
                // On all addresses, as the health endpoint listens: Prometheus scrapes from another host.
                metrics.AddPrometheusHttpListener(listener =>
                {
                    listener.Port = options.Port;
                    listener.ConfigureHttpListener = static (exporter, http) =>
                    {
                        http.Prefixes.Clear();
                        http.Prefixes.Add($"http://*:{exporter.Port}/metrics/");
                    };
                });
            }
        });
        return silo;
    }

    /// <summary>
    /// The silo half of the Orleans dashboard: it gathers the grain statistics, silos, counters and grain state that
    /// the gateway's /dashboard shows. Its counters are sampled every <see cref="DashboardCounterIntervalKey"/>
    /// seconds rather than the dashboard's every second: a sample reads every Orleans instrument, and two of them walk
    /// every activation and every directory-cache entry: a quarter of a core at 262 k activations, growing with them
    /// (BENCHMARKS.md, "The full galaxy").
    /// </summary>
    public static ISiloBuilder UseGalaxyDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.AddDashboard();
        var interval = TimeSpan.FromSeconds(configuration.GetValue(DashboardCounterIntervalKey, 60));
        if (interval < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"{DashboardCounterIntervalKey} must be at least 1 second.");
        }

        var counterFeed = DashboardCounterFeed.Type;
        var registered = silo.Services.Single(service => service.ServiceType == counterFeed);
        silo.Services.Remove(registered);
        silo.Services.AddSingleton(counterFeed, services => DashboardCounterFeed.Create(services, interval));
        return silo;
    }

    /// <summary>
    /// The control plane's stores (registry, datasets, training jobs, deployments, approvals, what labscapes serve; sealed at
    /// rest under <c>Galaxy:DataProtection</c>) and the silo's part in them: training slots, Guardian's checks, and the
    /// supervisors that resume jobs and deployments whose silo was lost.
    /// </summary>
    public static ISiloBuilder UseGalaxyTraining(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<TrainingOptions>()
            .Bind(configuration.GetSection(TrainingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddOptions<ControlPlaneOptions>()
            .Bind(configuration.GetSection(ControlPlaneOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddOptions<DataProtectionOptions>()
            .Bind(configuration.GetSection(DataProtectionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddSingleton(services => DataProtector.Create(
            services.GetRequiredService<IOptions<DataProtectionOptions>>(), services.GetRequiredService<ILogger<DataProtector>>()));
        silo.Services.AddSingleton<ModelRegistry>();
        silo.Services.AddSingleton<DatasetStore>();
        silo.Services.AddSingleton<TrainingJobStore>();
        silo.Services.AddSingleton<TrainingSlots>();
        silo.Services.AddSingleton<Galaxy.Grains.Optimization.OptimizationSubjects>();
        silo.Services.AddSingleton<DeploymentStore>();
        silo.Services.AddSingleton<ApprovalStore>();
        silo.Services.AddSingleton<ServingIndex>();
        silo.Services.AddSingleton<GuardianChecks>();
        // AddSingleton, not AddHostedService: that one adds a hosted service of a type at most once, and every
        // supervisor is a ResumeSupervisor, so all but the first were dropped.
        silo.Services.AddSingleton<IHostedService>(services => Supervisor(
            services, "training jobs", services.GetRequiredService<TrainingJobStore>().UnfinishedAsync,
            (grains, job) => grains.GetGrain<ITrainingJobGrain>(job).GetState()));
        silo.Services.AddSingleton<IHostedService>(services => Supervisor(
            services, "deployments", services.GetRequiredService<DeploymentStore>().UnfinishedAsync,
            (grains, deployment) => grains.GetGrain<IDeploymentGrain>(deployment).GetState()));
        return silo;
    }

    private static ResumeSupervisor Supervisor(
        IServiceProvider services, string work, Func<CancellationToken, Task<IReadOnlyList<Guid>>> unfinished, Func<IGrainFactory, Guid, Task> touch)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        return new ResumeSupervisor(
            work, unfinished, id => touch(grains, id), services.GetRequiredService<IOptions<ControlPlaneOptions>>(),
            services.GetRequiredService<ILogger<ResumeSupervisor>>());
    }

    /// <summary>The process's one compute backend (CUDA, OpenCL or SIMD), chosen from <c>Galaxy:Compute</c> and logged.</summary>
    public static ISiloBuilder UseGalaxyCompute(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<ComputeOptions>().Bind(configuration.GetSection(ComputeOptions.SectionName));
        silo.Services.AddSingleton(services => ComputeBackends.Create(
            services.GetRequiredService<IOptions<ComputeOptions>>().Value,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ComputeBackends))));
        return silo;
    }

    /// <summary>This silo's endpoints and cluster identity, from <see cref="GalaxyClusterOptions"/>.</summary>
    public static ISiloBuilder UseGalaxyEndpoints(this ISiloBuilder silo, GalaxyClusterOptions cluster)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(ResolveAdvertisedAddress(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        if (!string.IsNullOrWhiteSpace(cluster.SiloName))
        {
            silo.Configure<SiloOptions>(options => options.SiloName = cluster.SiloName);
        }

        return silo;
    }

    // An address, or a host name (a container's service name) resolved once at start.
    private static IPAddress ResolveAdvertisedAddress(string addressOrHost) =>
        IPAddress.TryParse(addressOrHost, out var address)
            ? address
            : Dns.GetHostAddresses(addressOrHost).First(candidate => candidate.AddressFamily == AddressFamily.InterNetwork);
}

/// <summary>The grain storage behind unit and labscape state; both read and write the same rows.</summary>
public enum GalaxyStorageProvider
{
    /// <summary>Galaxy's provider: concurrent writes share one transaction (see <c>Persistence/GroupCommit</c>).</summary>
    GroupCommit,

    /// <summary>Microsoft.Orleans.Persistence.AdoNet: one transaction per write.</summary>
    AdoNet,
}
