using Orleans.Storage;

namespace Galaxy.Grains.Tests;

/// <summary>
/// A state write that fails leaves as <see cref="StateNotPersistedException"/>, which crosses the wire; a version
/// conflict also retires the activation, whose view of the state is stale.
/// </summary>
public sealed class DurableStateTests
{
    [Fact]
    public async Task A_write_that_storage_refuses_is_reported_as_not_persisted_and_the_activation_stays()
    {
        var (state, owner, context) = Writing(new TimeoutException("PostgreSQL did not answer."));

        var failure = await Assert.ThrowsAsync<StateNotPersistedException>(() => state.PersistAsync(owner));

        Assert.Equal("State of UnitState was not persisted: PostgreSQL did not answer.", failure.Message);
        Assert.DoesNotContain("Deactivate", Stand.Behind(context).Calls);
    }

    [Fact]
    public async Task A_version_conflict_is_reported_and_the_stale_activation_deactivates()
    {
        var (state, owner, context) = Writing(new InconsistentStateException("etag 7 is not 6"));

        var failure = await Assert.ThrowsAsync<StateNotPersistedException>(() => state.PersistAsync(owner));

        Assert.StartsWith(
            "State of UnitState changed in storage since it was read; it is read again on the next call.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Deactivate", Stand.Behind(context).Calls);
    }

    [Fact]
    public async Task A_cancelled_write_stays_a_cancellation()
    {
        var (state, owner, _) = Writing(new OperationCanceledException());

        await Assert.ThrowsAsync<OperationCanceledException>(() => state.PersistAsync(owner));
    }

    [Fact]
    public async Task A_write_that_lands_returns_quietly()
    {
        var (state, owner, _) = Writing(null);

        await state.PersistAsync(owner);

        Assert.Contains("WriteStateAsync", Stand.Behind(state).Calls);
    }

    private static (IPersistentState<UnitState> State, IGrainBase Owner, IGrainContext Context) Writing(Exception? failure)
    {
        var state = Stand.Of<IPersistentState<UnitState>>(
            ("WriteStateAsync", _ => failure is null ? Task.CompletedTask : Task.FromException(failure)));
        var context = Stand.Of<IGrainContext>(("Deactivate", _ => null));
        var owner = Stand.Of<IGrainBase>(("get_GrainContext", _ => context));
        return (state, owner, context);
    }
}
