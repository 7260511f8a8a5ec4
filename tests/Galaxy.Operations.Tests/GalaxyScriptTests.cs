using System.Globalization;
using Galaxy.Operations.Postgres;
using Galaxy.Testing.Processes;
using Npgsql;
using Xunit.Abstractions;

namespace Galaxy.Operations.Tests;

/// <summary>
/// The faults of <c>./galaxy</c> that issue #20 names, each fixed: two checkouts side by side on their own ports, a
/// clear message when the port is taken, a configured server used (not ignored) by <c>db psql</c>, <c>status</c>,
/// <c>backup</c> and <c>restore</c>, and a banner whose example request signs in.
/// </summary>
public sealed class GalaxyScriptTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_checkouts_run_their_own_servers_side_by_side_and_a_taken_port_is_named()
    {
        var first = GalaxyScript.NewCheckout();
        var second = GalaxyScript.NewCheckout();
        var third = GalaxyScript.NewCheckout();
        var firstPort = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture);
        var secondPort = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture);
        try
        {
            await Succeeds(first, firstPort, "db", "up");
            await Succeeds(second, secondPort, "db", "up");

            // Each checkout's connection string names its own server, and both answer at once.
            foreach (var (checkout, port) in new[] { (first, firstPort), (second, secondPort) })
            {
                var connectionString = (await Succeeds(checkout, port, "db", "url")).Trim();
                Assert.Contains($"Port={port};", connectionString, StringComparison.Ordinal);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
                Assert.StartsWith(checkout, (string)(await command.ExecuteScalarAsync())!, StringComparison.Ordinal);
            }

            // A third checkout on the first one's port is told so, and what to do.
            var (exitCode, _, errors) = await GalaxyScript.RunAsync(third, new Dictionary<string, string> { ["GALAXY_PG_PORT"] = firstPort }, "db", "up");
            output.WriteLine(errors);
            Assert.NotEqual(0, exitCode);
            Assert.Contains($"port {firstPort} on 127.0.0.1 is taken", errors, StringComparison.Ordinal);
            Assert.Contains("GALAXY_PG_PORT", errors, StringComparison.Ordinal);
        }
        finally
        {
            await GalaxyScript.RunAsync(first, new Dictionary<string, string> { ["GALAXY_PG_PORT"] = firstPort }, "db", "down");
            await GalaxyScript.RunAsync(second, new Dictionary<string, string> { ["GALAXY_PG_PORT"] = secondPort }, "db", "down");
            NpgsqlConnection.ClearAllPools();
            foreach (var checkout in new[] { first, second, third })
            {
                Directory.Delete(checkout, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_configured_server_is_the_one_psql_status_backup_and_restore_work_on()
    {
        await using var archiving = await ArchivingServer.StartAsync();
        await using (var connection = new NpgsqlConnection(archiving.Server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var marker = new NpgsqlCommand("CREATE TABLE configured_marker (answer int); INSERT INTO configured_marker VALUES (42)", connection);
            await marker.ExecuteNonQueryAsync();
        }

        var environment = new Dictionary<string, string>
        {
            ["GALAXY_CONNECTION_STRING"] = archiving.Server.ConnectionString,
            ["Galaxy__Backup__Directory"] = archiving.Options.Directory,
            ["GALAXY_HTTP_PORT"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
        };
        var repository = GalaxyScript.Repository;

        Assert.Contains("GALAXY_CONNECTION_STRING", (await GalaxyScript.RunAsync(repository, environment, "db", "status")).Output, StringComparison.Ordinal);
        var psql = await GalaxyScript.RunAsync(repository, environment, "db", "psql", "-tAc", "SELECT answer FROM configured_marker");
        Assert.True(psql.ExitCode == 0, psql.Errors);
        Assert.Equal("42", psql.Output.Trim());

        var backup = await GalaxyScript.RunAsync(repository, environment, "backup");
        output.WriteLine(backup.Output + backup.Errors);
        Assert.True(backup.ExitCode == 0, backup.Output + backup.Errors);
        var record = Assert.Single(archiving.Store.List());
        Assert.True(record.Verified);

        var status = await GalaxyScript.RunAsync(repository, environment, "status");
        Assert.True(status.ExitCode == 0, status.Output + status.Errors);
        Assert.Contains(record.Id, status.Output, StringComparison.Ordinal);

        // A configured server is the operator's to replace: the restore builds a new data folder beside it.
        var restored = Path.Combine(Path.GetTempPath(), $"galaxy-restored-{Guid.NewGuid():N}");
        try
        {
            var restore = await GalaxyScript.RunAsync(
                repository, environment, "restore", "--data-dir", restored, "--port", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture));
            output.WriteLine(restore.Output + restore.Errors);
            Assert.True(restore.ExitCode == 0, restore.Output + restore.Errors);
            Assert.Contains("restored to", restore.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(restored, "PG_VERSION")));
            Assert.False(File.Exists(Path.Combine(restored, "recovery.signal")), "the restored folder would start another recovery");
        }
        finally
        {
            if (Directory.Exists(restored))
            {
                Directory.Delete(restored, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task The_banner_of_up_shows_a_request_that_signs_in(int tls)
    {
        // Sourced, the script only defines its functions: the banner is printed as `./galaxy up` prints it.
        var banner = await GalaxyScript.ShellAsync(GalaxyScript.Repository, $"source ./galaxy && GATEWAY_URL=https://127.0.0.1:5099 && up_banner 1 database {tls}");
        output.WriteLine(banner.Errors);
        var requests = banner.Errors.Split('\n').Where(line => line.Contains("curl", StringComparison.Ordinal) && line.Contains("/v1/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, request => Assert.Contains("Authorization: Bearer $(./galaxy token)", request, StringComparison.Ordinal));
        Assert.All(requests, request => Assert.Equal(tls == 1, request.Contains("--cacert", StringComparison.Ordinal)));
    }

    private async Task<string> Succeeds(string checkout, string port, params string[] arguments)
    {
        var (exitCode, standardOutput, errors) = await GalaxyScript.RunAsync(checkout, new Dictionary<string, string> { ["GALAXY_PG_PORT"] = port }, arguments);
        Assert.True(exitCode == 0, $"./galaxy {string.Join(' ', arguments)} in {checkout}: {errors}");
        output.WriteLine(errors);
        return standardOutput;
    }
}
