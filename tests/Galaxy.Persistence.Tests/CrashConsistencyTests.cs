using System.Diagnostics;
using System.Globalization;

namespace Galaxy.Persistence.Tests;

/// <summary>
/// Kills a process mid-stream while it writes through the group-commit provider, then holds the table to what the
/// process was told: every acknowledged write is there, no refused write is, and at most the one write per grain that
/// was in flight at the kill committed without an acknowledgement.
/// </summary>
public sealed class CrashConsistencyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int AcknowledgementsBeforeKill = 3000;
    private const int RefusalsBeforeKill = 100;

    [Fact]
    public async Task Every_acknowledged_write_survives_a_kill_and_no_refused_write_is_stored()
    {
        var acknowledged = new Dictionary<int, (int Version, long Sequence)>();
        var acknowledgements = 0;
        var refusals = 0;
        var unexpected = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        using var writer = Process.Start(WriterStartInfo())!;
        try
        {
            while (acknowledgements < AcknowledgementsBeforeKill || refusals < RefusalsBeforeKill)
            {
                Read(await writer.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("The writer exited early."));
            }
        }
        finally
        {
            writer.Kill(entireProcessTree: true);
        }

        // What the writer printed before it died was acknowledged too.
        while (await writer.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            Read(line);
        }

        await writer.WaitForExitAsync(deadline.Token);
        Assert.Empty(unexpected);

        await using var host = await StorageHost.StartAsync(database.ConnectionString);
        for (var key = 0; key < CrashWriter.Grains; key++)
        {
            var stored = new GrainState<CounterState>();
            await host.GroupCommit.ReadStateAsync(CrashWriter.StateName, TestGrains.Integer(key), stored);
            var storedVersion = stored.ETag is null ? 0 : int.Parse(stored.ETag, CultureInfo.InvariantCulture);
            var (ackedVersion, ackedSequence) = acknowledged.GetValueOrDefault(key);

            // No acknowledged write is lost; only the write in flight at the kill may have landed unacknowledged; and the
            // payload is the last acknowledged write or that one, never a refused write (those carry negative sequences).
            Assert.InRange(storedVersion, ackedVersion, ackedVersion + 1);
            Assert.Equal(storedVersion == ackedVersion ? ackedSequence : ackedSequence + 1, stored.Counter().Sequence);
        }

        void Read(string line)
        {
            var fields = line.Split(' ');
            switch (fields[0])
            {
                case "ACK":
                    var key = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    var version = int.Parse(fields[2], CultureInfo.InvariantCulture);
                    Assert.Equal(acknowledged.GetValueOrDefault(key).Version + 1, version);
                    acknowledged[key] = (version, long.Parse(fields[3], CultureInfo.InvariantCulture));
                    acknowledgements++;
                    break;
                case "REFUSED":
                    refusals++;
                    break;
                default:
                    unexpected.Add(line);
                    break;
            }
        }
    }

    private ProcessStartInfo WriterStartInfo()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        start.Environment[GalaxyConnection.EnvironmentVariable] = database.ConnectionString;
        return start;
    }
}
