using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Galaxy.Persistence.Audit;
using Galaxy.Persistence.Tls;
using Galaxy.Registry;
using Galaxy.Registry.Protection;
using Galaxy.Testing;
using Galaxy.Testing.Processes;
using Npgsql;

namespace Galaxy.Bench;

/// <summary>
/// What Guardian's hardening costs: verifying and checkpointing an audit chain of <c>--rows</c> rows in the application;
/// uploading and loading a dataset and a version's weights with and without encryption at rest; a mutual-TLS handshake
/// with the cluster's certificates against a plain TCP connect.
/// </summary>
public sealed class GuardianBenchmark : IBenchmark
{
    private const int Repeats = 15;

    public string Name => "guardian";

    public string Description => "audit verify and checkpoint per row, encryption at rest on upload and load, TLS handshake";

    public async Task RunAsync(BenchReport report, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var source = NpgsqlDataSource.Create(database.ConnectionString);
        await AuditAsync(report, source, BenchArguments.Option(args, "--rows", 200_000), cancellationToken);
        await AtRestAsync(report, source, cancellationToken);
        await HandshakesAsync(report, cancellationToken);
    }

    private static async Task AuditAsync(BenchReport report, NpgsqlDataSource source, int rows, CancellationToken cancellationToken)
    {
        // A thousand appends per transaction, as the gateway batches them: one transaction of them all would make
        // PostgreSQL walk every earlier version of the head row it updates each time.
        for (var from = 1; from <= rows; from += 1_000)
        {
            await using var append = source.CreateCommand(
                "SELECT count(galaxy_audit_append(now(), 'user' || i % 7, 'unit.learn', '/v1/units/' || i || '/learn', 200, md5(i::text))) FROM generate_series($1, $2) i");
            append.Parameters.Add(new NpgsqlParameter { Value = from });
            append.Parameters.Add(new NpgsqlParameter { Value = Math.Min(rows, from + 999) });
            await append.ExecuteScalarAsync(cancellationToken);
        }

        var witness = Directory.CreateTempSubdirectory("galaxy-bench-witness-").FullName;
        var keyFile = Path.Combine(witness, "..", $"galaxy-bench-key-{Guid.NewGuid():N}.pem");
        try
        {
            using var key = AuditSigningKey.Load(keyFile, create: true);
            var trusted = new Dictionary<string, AuditVerificationKey> { [key.Id] = key.VerificationKey() };
            var folder = new FolderWitness(witness);
            var verifier = new AuditVerifier(source, trusted);

            var stopwatch = Stopwatch.StartNew();
            var unwitnessed = await verifier.VerifyAsync([], cancellationToken);
            report.Record("audit.verify_rows_per_s", rows / stopwatch.Elapsed.TotalSeconds, "rows/s", $"{rows:N0} rows, recomputed in the application, intact={unwitnessed.Intact}");

            stopwatch.Restart();
            await new AuditCheckpointWriter(source, key, [folder], folder, TimeProvider.System).CheckpointAsync(cancellationToken);
            report.Record("audit.checkpoint_s", stopwatch.Elapsed.TotalSeconds, "s", $"first checkpoint over {rows:N0} rows (recompute, sign, witness)");
            report.Record("audit.witness_bytes_per_row", new FileInfo(Directory.GetFiles(witness).Single()).Length / (double)rows, "B/row");

            stopwatch.Restart();
            var witnessed = await verifier.VerifyAsync(folder.ReadAll([]), cancellationToken);
            report.Record("audit.verify_witnessed_rows_per_s", rows / stopwatch.Elapsed.TotalSeconds, "rows/s", $"held to the checkpoint, intact={witnessed.Intact}");
        }
        finally
        {
            Directory.Delete(witness, recursive: true);
            File.Delete(keyFile);
        }
    }

    private static async Task AtRestAsync(BenchReport report, NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Path.Combine(RepositoryBuild.Root, "datasets", "optdigits-train.csv"));
        var (table, bytes) = await CsvDataset.ReadAsync(file, "digit", 16 << 20, cancellationToken);
        var protector = new DataProtector([new LocalKeyEncryptionKey("bench", RandomNumberGenerator.GetBytes(32))], null);
        var weights = new float[64 * 128 + 128 + 128 * 10 + 10];
        foreach (var (label, sealer) in new[] { ("plain", (DataProtector?)null), ("sealed", protector) })
        {
            var datasets = new DatasetStore(source, TimeProvider.System, sealer);
            var registry = new ModelRegistry(source, TimeProvider.System, sealer);
            var model = await registry.CreateModelAsync($"bench-{label}", "", new Dictionary<string, string>(), "bench", cancellationToken);
            var uploads = new List<double>();
            var loads = new List<double>();
            var versionWrites = new List<double>();
            var versionLoads = new List<double>();
            for (var i = 0; i < Repeats; i++)
            {
                var unique = table with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i + (sealer is null ? 0 : 1_000)))) };
                var stopwatch = Stopwatch.StartNew();
                var stored = await datasets.RegisterAsync($"bench-{label}-{i}", unique, bytes, "bench", cancellationToken);
                uploads.Add(stopwatch.Elapsed.TotalMilliseconds);
                stopwatch.Restart();
                await datasets.LoadAsync(stored.Id, cancellationToken);
                loads.Add(stopwatch.Elapsed.TotalMilliseconds);

                var version = new NewModelVersion(64, 128, 10, "CrossEntropy", weights, new Preprocessing(new float[64], Enumerable.Repeat(1f, 64).ToArray()),
                    Enumerable.Range(0, 10).Select(c => $"{c}").ToArray(), table.FeatureNames, new Dictionary<string, double>(),
                    new VersionLineage(null, null, null, null, "registered"));
                stopwatch.Restart();
                var created = await registry.CreateVersionAsync(model.Id, version, "bench", cancellationToken);
                versionWrites.Add(stopwatch.Elapsed.TotalMilliseconds);
                stopwatch.Restart();
                await registry.LoadWeightsAsync(model.Id, created.Version, cancellationToken);
                versionLoads.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            report.Record($"at_rest.{label}.dataset_register_ms", Median(uploads), "ms", "3,823 × 64 digits, median of 15");
            report.Record($"at_rest.{label}.dataset_load_ms", Median(loads), "ms");
            report.Record($"at_rest.{label}.version_register_ms", Median(versionWrites), "ms", "64-128-10 weights (9,610 floats)");
            report.Record($"at_rest.{label}.version_load_ms", Median(versionLoads), "ms");
        }
    }

    private static async Task HandshakesAsync(BenchReport report, CancellationToken cancellationToken)
    {
        using var authority = DevelopmentAuthority.Create("Galaxy bench CA");
        using var server = Reload(authority.Issue("galaxy-silo"));
        using var client = Reload(authority.Issue("galaxy-gateway"));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var accepted = await listener.AcceptTcpClientAsync(cancellationToken);
                await using var stream = new SslStream(accepted.GetStream());
                await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = server, ClientCertificateRequired = true, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                }, cancellationToken);
            }
        }, cancellationToken);

        const int handshakes = 200;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < handshakes; i++)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            await using var stream = new SslStream(tcp.GetStream());
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost", ClientCertificates = [client], EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, cancellationToken);
        }

        report.Record("tls.mutual_handshake_ms", stopwatch.Elapsed.TotalMilliseconds / handshakes, "ms", "TLS 1.3, ECDSA P-256 both sides, loopback, sequential");
        listener.Stop();
        await Task.WhenAny(serving, Task.Delay(1_000, CancellationToken.None));
    }

    // Ephemeral PEM keys are exported and reloaded so that SslStream can use them on every platform.
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Reload(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using (certificate)
        {
            return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
                certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
