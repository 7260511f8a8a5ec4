using System.Diagnostics;
using Galaxy.Persistence;
using Npgsql;

namespace Galaxy.Testing.Processes;

/// <summary>
/// A PostgreSQL server of its own, in a temporary data folder on a free loopback port, for tests and drills that stop
/// and start the database: the shared server of <c>./galaxy test</c> must stay up for everyone else. Uses the binaries
/// <c>./galaxy</c> installs; as root the server runs as the package's <c>postgres</c> user, as PostgreSQL requires.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "galaxy";
    private const string Database = "galaxy";

    private readonly string _bin;
    private readonly string _dataDirectory;
    private readonly IReadOnlyList<string> _settings;

    private readonly TestTls? _tls;

    private PostgresServer(string bin, string dataDirectory, int port, TestTls? tls, IReadOnlyList<string> settings)
    {
        _bin = bin;
        _dataDirectory = dataDirectory;
        Port = port;
        _tls = tls;
        _settings = settings;
    }

    public int Port { get; }

    /// <summary>The server's data folder: a drill may destroy it (<see cref="DestroyAsync"/>) and restore it.</summary>
    public string DataDirectory => _dataDirectory;

    public bool IsRunning { get; private set; }

    /// <summary>The superuser's connection string; over TLS verified against the test CA when the server has <see cref="TestTls"/>.</summary>
    public string ConnectionString
    {
        get
        {
            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = Port,
                Username = User,
                Database = Database,
                MaxPoolSize = 200,
            }.ConnectionString;
            return _tls is null ? connectionString : GalaxyConnection.RequireTls(connectionString, _tls.AuthorityFile);
        }
    }

    /// <summary>
    /// Initialises a fresh cluster (fsync on, as in production), starts it and creates the database. With
    /// <paramref name="tls"/>, the server speaks TLS with its certificate and accepts no connection without it.
    /// <paramref name="settings"/> are more server settings (<c>archive_mode=on</c>), given at every start.
    /// </summary>
    public static async Task<PostgresServer> StartNewAsync(CancellationToken cancellationToken = default, TestTls? tls = null, params string[] settings)
    {
        var bin = FindBinaries();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"galaxy-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var server = new PostgresServer(bin, dataDirectory, LoopbackPort.Free(), tls, settings);
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", ["postgres", dataDirectory], cancellationToken);
            }

            await server.RunAsServerUserAsync("initdb", ["-D", dataDirectory, "-U", User, "--auth=trust", "--encoding=UTF8", "--no-sync"], cancellationToken);
            if (tls is not null)
            {
                await server.RequireTlsAsync(tls, cancellationToken);
            }

            await server.StartAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(
                new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await TestRoles.EnsureAsync(server.ConnectionString);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database} OWNER {DatabaseRoles.Owner}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        string[] settings =
        [
            $"-c port={Port}", "-c listen_addresses=127.0.0.1", $"-c unix_socket_directories={_dataDirectory}",
            "-c fsync=on", "-c synchronous_commit=on", "-c max_connections=400", "-c shared_buffers=256MB", "-c max_wal_size=4GB",
            .. _tls is null ? Array.Empty<string>() : ["-c ssl=on", "-c ssl_cert_file=server.pem", "-c ssl_key_file=server.key", "-c ssl_min_protocol_version=TLSv1.2"],
            .. _settings.Select(setting => $"-c {setting}"),
        ];
        await RunAsServerUserAsync(
            "pg_ctl", ["-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "-o", string.Join(' ', settings), "start"],
            cancellationToken);
        IsRunning = true;
    }

    /// <summary>
    /// Stops the server. <paramref name="crash"/> is <c>immediate</c> mode: every process quits at once without a
    /// checkpoint, as in a power cut, and the next start replays the WAL.
    /// </summary>
    public async Task StopAsync(bool crash, CancellationToken cancellationToken = default)
    {
        await RunAsServerUserAsync("pg_ctl", ["-D", _dataDirectory, "-m", crash ? "immediate" : "fast", "-w", "stop"], cancellationToken);
        IsRunning = false;
    }

    /// <summary>The server's certificate and key in its data folder (the key its user's alone), and TCP only over TLS.</summary>
    private async Task RequireTlsAsync(TestTls tls, CancellationToken cancellationToken)
    {
        File.Copy(tls.Postgres.Certificate, Path.Combine(_dataDirectory, "server.pem"));
        File.Copy(tls.Postgres.Key, Path.Combine(_dataDirectory, "server.key"));
        await File.WriteAllTextAsync(Path.Combine(_dataDirectory, "pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n", cancellationToken);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres", Path.Combine(_dataDirectory, "server.pem"), Path.Combine(_dataDirectory, "server.key"),
                Path.Combine(_dataDirectory, "pg_hba.conf")], cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_dataDirectory, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The disaster: the server crashes and its data folder is deleted, WAL and all.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(crash: true, cancellationToken);
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await StopAsync(crash: true);
        }

        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private Task RunAsServerUserAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments], cancellationToken)
            : RunAsync(Path.Combine(_bin, program), arguments, cancellationToken);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}{await errors}");
        }
    }

    // Newest installed major version first, as ./galaxy picks it.
    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(candidate => File.Exists(Path.Combine(candidate, "initdb")))
                .OrderByDescending(candidate => int.TryParse(Path.GetFileName(Path.GetDirectoryName(candidate)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL's binaries are not installed: ./galaxy test installs them.");
    }
}
