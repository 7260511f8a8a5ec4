using Npgsql;

namespace Galaxy.Persistence.Tests;

public sealed class BatchFailureTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const int BatchRows = 8;

    [Fact]
    public async Task A_row_the_database_rejects_fails_every_write_of_its_batch_and_commits_none()
    {
        // A batch flushes exactly when its eighth write arrives.
        var logs = new LogLines();
        await using var host = await StorageHost.StartAsync(database.ConnectionString, options =>
        {
            options.MaxBatchRows = BatchRows;
            options.MaxLinger = TimeSpan.FromSeconds(1);
        }, logs: logs);
        var stateName = TestGrains.FreshStateName();
        var tooLongStateName = new string('x', 600); // GrainTypeString is varchar(512)
        var states = Enumerable.Range(0, BatchRows).Select(i => new GrainState<CounterState>(CounterState.Of(i))).ToArray();

        var writes = states.Select((state, i) => host.GroupCommit.WriteStateAsync(
            i == 3 ? tooLongStateName : stateName, TestGrains.Integer(i), state)).ToArray();

        foreach (var write in writes)
        {
            var failure = await Assert.ThrowsAsync<BatchWriteFailedException>(() => write);
            Assert.Equal(PostgresErrorCodes.StringDataRightTruncation, Assert.IsType<PostgresException>(failure.InnerException).SqlState);
            Assert.StartsWith($"The batch of {BatchRows} writes this one belonged to failed (", failure.Message, StringComparison.Ordinal);
            Assert.EndsWith("); none of them was committed.", failure.Message, StringComparison.Ordinal);
        }

        Assert.All(states, state => Assert.Null(state.ETag));
        Assert.Empty(await StoredRow.ReadAsync(database, stateName));
        Assert.Contains($"Error: A batch of {BatchRows} grain-state writes failed; none of them was committed.", logs.Lines);

        // A bad statement is not an outage: the next batch commits.
        await Task.WhenAll(states.Select((state, i) => host.GroupCommit.WriteStateAsync(stateName, TestGrains.Integer(i), state)));
        Assert.Equal(BatchRows, (await StoredRow.ReadAsync(database, stateName)).Count);
    }
}
