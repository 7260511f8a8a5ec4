using System.Diagnostics;
using System.Globalization;
using Galaxy.Client;
using Galaxy.Contracts;
using Galaxy.Grains;
using GalaxyTopology = Galaxy.Grains.GalaxyTopology;
using Galaxy.Gateway.Guardian;
using Galaxy.Persistence;
using Galaxy.Silo.Seeding;
using Npgsql;

namespace Galaxy.Testing.Processes;

/// <summary>What a <see cref="LocalGalaxy"/> runs.</summary>
/// <param name="Silos">Silo processes.</param>
/// <param name="Labscapes">Labscapes of the galaxy.</param>
/// <param name="UnitsPerLabscape">Units per labscape.</param>
/// <param name="Settings">More settings for every silo and the gateway (e.g. <c>Galaxy:Collection:…</c>).</param>
/// <param name="Seed">Write every unit's initial state before the silos start, as <c>./galaxy seed</c> does.</param>
/// <param name="Tls">Run every hop over TLS with these certificates: PostgreSQL, silo to silo, gateway to silo, HTTPS.</param>
/// <param name="PostgresSettings">More PostgreSQL settings, given at every start (<c>archive_mode=on</c>).</param>
public sealed record LocalGalaxyOptions(
    int Silos, int Labscapes, int UnitsPerLabscape, IReadOnlyDictionary<string, string>? Settings = null, bool Seed = false,
    TestTls? Tls = null, IReadOnlyList<string>? PostgresSettings = null);

/// <summary>
/// A whole Galaxy deployment on loopback, each part in its own process as <c>./galaxy up --silos N</c> runs it: a private
/// PostgreSQL (<see cref="PostgresServer"/>), N silos that find each other through the ADO.NET membership table, and
/// the gateway. For drills that kill processes and stop the database; everything stops when disposed.
/// </summary>
public sealed class LocalGalaxy : IAsyncDisposable
{
    /// <summary>The gateway's one account, a lead engineer: may read, predict and learn.</summary>
    public const string AccountName = "drill";

    /// <summary>Its password (a test's, not a secret).</summary>
    public const string AccountPassword = "a local galaxy's drill account";

    private const int Active = 3;

    private readonly List<AppProcess> _silos = [];
    private readonly List<Uri> _siloHealth = [];
    private readonly List<Uri> _siloMetrics = [];
    private readonly LocalGalaxyOptions _options;

    private LocalGalaxy(PostgresServer database, string clusterId, GalaxyTopology topology, LocalGalaxyOptions options)
    {
        Database = database;
        ClusterId = clusterId;
        Topology = topology;
        Tls = options.Tls;
        _options = options;
    }

    /// <summary>The certificates every hop uses, when the galaxy runs in TLS mode.</summary>
    public TestTls? Tls { get; }

    public GalaxyTopology Topology { get; }

    /// <summary>Where every process's output goes; deleted when the galaxy stops unless <see cref="KeepLogs"/>.</summary>
    public string LogDirectory { get; } = Directory.CreateTempSubdirectory("galaxy-local-").FullName;

    /// <summary>Keep <see cref="LogDirectory"/> after the galaxy stops, e.g. because something failed.</summary>
    public bool KeepLogs { get; set; }

    public PostgresServer Database { get; }

    public string ClusterId { get; }

    public IReadOnlyList<AppProcess> Silos => _silos;

    /// <summary>Each silo's health endpoint (<c>Galaxy:Health:Port</c>), in the order of <see cref="Silos"/>.</summary>
    public IReadOnlyList<Uri> SiloHealth => _siloHealth;

    /// <summary>Each silo's Prometheus endpoint (<c>Galaxy:Metrics:Port</c>, <c>/metrics</c>), in the order of <see cref="Silos"/>.</summary>
    public IReadOnlyList<Uri> SiloMetrics => _siloMetrics;

    public GatewayProcess? Gateway { get; private set; }

    public Uri GatewayAddress => Gateway?.Address ?? throw new InvalidOperationException("The gateway is not started.");

    private IEnumerable<AppProcess> Processes => Gateway is null ? _silos : _silos.Append(Gateway.Process);

    public static async Task<LocalGalaxy> StartAsync(LocalGalaxyOptions options, CancellationToken cancellationToken = default)
    {
        var database = await PostgresServer.StartNewAsync(cancellationToken, options.Tls, [.. options.PostgresSettings ?? []]);
        var topology = new GalaxyTopologyOptions { Labscapes = options.Labscapes, UnitsPerLabscape = options.UnitsPerLabscape }.ToTopology();
        var galaxy = new LocalGalaxy(database, $"local-{Guid.NewGuid():N}", topology, options);
        try
        {
            await galaxy.PrepareDatabaseAsync(cancellationToken);
            await galaxy.LaunchAsync(cancellationToken);
            return galaxy;
        }
        catch (Exception exception)
        {
            var diagnostics = galaxy.LastLines();
            galaxy.KeepLogs = true;
            await galaxy.DisposeAsync();
            throw new InvalidOperationException($"The local galaxy did not start: {exception.Message}\n{diagnostics}", exception);
        }
    }

    /// <summary>A client of the gateway, signed in as <see cref="AccountName"/>, that leaves every retry to its caller.</summary>
    public async Task<GalaxyClient> SignInAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        var client = new GalaxyClient(http, new GalaxyClientOptions { MaxRetries = 0 });
        await client.SignInAsync(AccountName, AccountPassword, cancellationToken: cancellationToken);
        return client;
    }

    public HttpClient CreateHttpClient(TimeSpan timeout) =>
        new(GatewayProcess.Handler(Tls))
        {
            BaseAddress = GatewayAddress,
            Timeout = timeout,
        };

    /// <summary>SIGKILL, as <c>kill -9</c>: the silo gets no chance to deactivate, write or say goodbye.</summary>
    public void KillSilo(int index) => _silos[index].Kill();

    /// <summary>Silos the membership table lists as active.</summary>
    public async Task<int> ActiveSilosAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Status = $2", connection)
        {
            Parameters = { new() { Value = ClusterId }, new() { Value = Active } },
        };
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    public string LastLines() => string.Join('\n', Processes.Select(process => process.LastLines()));

    /// <summary>SIGKILL for every silo and the gateway, as <c>./galaxy restore</c> stops a galaxy before it restores.</summary>
    public async Task StopProcessesAsync()
    {
        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }

        _silos.Clear();
        _siloHealth.Clear();
        _siloMetrics.Clear();
        Gateway = null;
    }

    /// <summary>Starts the silos and the gateway again on the database as it is now (after a restore, say).</summary>
    public Task RestartProcessesAsync(CancellationToken cancellationToken = default) => LaunchAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }

        await Database.DisposeAsync();
        if (!KeepLogs)
        {
            Directory.Delete(LogDirectory, recursive: true);
        }
    }

    private async Task PrepareDatabaseAsync(CancellationToken cancellationToken)
    {
        // Silos apply the schema themselves too; applied first, the membership table can be watched from the start.
        await new SchemaMigrator().ApplyAsync(TestRoles.As(Database.ConnectionString, DatabaseRoles.Owner), cancellationToken);
        if (_options.Seed)
        {
            await using var seeder = new GalaxySeeder(Database.ConnectionString, ClusterId, Topology, new BatchingOptions().ToSettings(), TimeProvider.System);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, Topology.Labscapes), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
                async (labscape, token) => await seeder.SeedLabscapeAsync(labscape, token));
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var options = _options;
        var common = new Dictionary<string, string>(options.Settings ?? new Dictionary<string, string>())
        {
            ["ConnectionStrings:Galaxy"] = TestRoles.As(Database.ConnectionString, DatabaseRoles.Silo),
            ["Galaxy:Cluster:ClusterId"] = ClusterId,
            ["Galaxy:Cluster:ServiceId"] = ClusterId,
            ["Galaxy:Topology:Labscapes"] = options.Labscapes.ToString(CultureInfo.InvariantCulture),
            ["Galaxy:Topology:UnitsPerLabscape"] = options.UnitsPerLabscape.ToString(CultureInfo.InvariantCulture),
        };

        for (var i = 0; i < options.Silos; i++)
        {
            var healthPort = LoopbackPort.Free();
            _siloHealth.Add(new Uri($"http://127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}"));
            var metricsPort = LoopbackPort.Free();
            _siloMetrics.Add(new Uri($"http://127.0.0.1:{metricsPort.ToString(CultureInfo.InvariantCulture)}/metrics"));
            _silos.Add(AppProcess.Start($"silo-{i}", "Silo/Galaxy.Silo", new Dictionary<string, string>(WithTls(common, options.Tls?.Silo))
            {
                ["Galaxy:Cluster:SiloName"] = $"silo-{i}",
                ["Galaxy:Health:Port"] = healthPort.ToString(CultureInfo.InvariantCulture),
                ["Galaxy:Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
                ["Galaxy:Cluster:SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
                ["Galaxy:Cluster:GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            }, LogDirectory, DeployedEnvironment.Silo()));
        }

        await WaitUntilAsync(async () => await ActiveSilosAsync(cancellationToken) == options.Silos, $"{options.Silos} active silos", cancellationToken);

        Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string>(WithTls(common, options.Tls?.Gateway))
        {
            ["ConnectionStrings:Galaxy"] = TestRoles.As(Database.ConnectionString, DatabaseRoles.Gateway),
            ["Galaxy:Guardian:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Galaxy:Guardian:Accounts:0:Name"] = AccountName,
            ["Galaxy:Guardian:Accounts:0:Role"] = Roles.LeadAi,
            ["Galaxy:Guardian:Accounts:0:PasswordHash"] = PasswordHasher.Hash(AccountPassword, iterations: 1_000),
            ["Galaxy:RateLimits:Inference:PermitLimit"] = "1000000000",
        }, LogDirectory, cancellationToken, options.Tls);
    }

    /// <summary><paramref name="settings"/> and, in TLS mode, the certificate settings of the process's role.</summary>
    private Dictionary<string, string> WithTls(Dictionary<string, string> settings, (string Certificate, string Key)? role)
    {
        var all = new Dictionary<string, string>(settings);
        if (Tls is not null && role is { } certificate)
        {
            foreach (var (key, value) in Tls.ClusterSettings(certificate))
            {
                all[key] = value;
            }
        }

        return all;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (Processes.FirstOrDefault(process => process.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"{exited.Name} exited while waiting for {what}.");
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"Gave up waiting for {what} after 120 s.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
