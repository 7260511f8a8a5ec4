namespace Galaxy.Persistence.Tests;

/// <summary>
/// The crash-consistency test's child process (<c>dotnet Galaxy.Persistence.Tests.dll</c>): grains write through the
/// group-commit provider, each printing a line for every write the provider acknowledged (<c>ACK grain version
/// sequence</c>) or refused as stale (<c>REFUSED grain sequence</c>), until the test kills it.
/// </summary>
internal static class CrashWriter
{
    public const string StateName = "crash";
    public const int Grains = 64;

    public static async Task<int> Main()
    {
        var connectionString = Environment.GetEnvironmentVariable(GalaxyConnection.EnvironmentVariable)
            ?? throw new InvalidOperationException($"{GalaxyConnection.EnvironmentVariable} is not set.");

        // A bound on an orphan's life, should the test die first.
        using var lifetime = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await StorageHost.StartAsync(connectionString);
        await Task.WhenAll(Enumerable.Range(0, Grains).Select(grain => WriteUntilKilledAsync(host.GroupCommit, grain, lifetime.Token)));
        return 0;
    }

    private static async Task WriteUntilKilledAsync(IGrainStorage storage, int key, CancellationToken lifetime)
    {
        var grain = TestGrains.Integer(key);
        var state = new GrainState<CounterState>();
        for (long sequence = 1; !lifetime.IsCancellationRequested; sequence++)
        {
            var previousVersion = state.ETag;
            state.State = CounterState.Of(sequence);
            await storage.WriteStateAsync(StateName, grain, state);
            Print($"ACK {key} {state.ETag} {sequence}");

            if (sequence % 4 == 0)
            {
                // A write from the version before: must be refused, and must never reach the table.
                var stale = new GrainState<CounterState>(CounterState.Of(-sequence)) { ETag = previousVersion };
                try
                {
                    await storage.WriteStateAsync(StateName, grain, stale);
                    Print($"STALE-ACCEPTED {key} {sequence}");
                }
                catch (InconsistentStateException)
                {
                    Print($"REFUSED {key} {sequence}");
                }
            }
        }
    }

    private static void Print(string line) => Console.Out.WriteLine(line);
}
