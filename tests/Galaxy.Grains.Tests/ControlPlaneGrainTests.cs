using Galaxy.Persistence.GroupCommit;
using Npgsql;

namespace Galaxy.Grains.Tests;

/// <summary>
/// A control-plane grain's calls leave with errors a caller understands: a PostgreSQL driver error (no codec, so an
/// internal error at the caller) becomes <see cref="StorageUnavailableException"/>; other errors pass as they are.
/// </summary>
public sealed class ControlPlaneGrainTests
{
    [Fact]
    public async Task A_database_error_leaves_as_storage_unavailable_with_its_reason()
    {
        var call = CallThat(() => Task.FromException(new NpgsqlException("connection refused")));

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => new Plane().Invoke(call));

        Assert.Equal("PostgreSQL refused or could not be reached: connection refused", failure.Message);
    }

    [Fact]
    public async Task Other_errors_and_answers_pass_as_they_are()
    {
        var refusal = new InvalidDeploymentException("The plan is out of range.");

        var refused = await Assert.ThrowsAsync<InvalidDeploymentException>(() => new Plane().Invoke(CallThat(() => Task.FromException(refusal))));

        Assert.Same(refusal, refused);
        var answered = CallThat(() => Task.CompletedTask);
        await new Plane().Invoke(answered);
        Assert.Equal(new[] { "Invoke" }, Stand.Behind(answered).Calls);
    }

    private static IIncomingGrainCallContext CallThat(Func<Task> invoke) =>
        Stand.Of<IIncomingGrainCallContext>(("Invoke", _ => invoke()));

    private sealed class Plane : ControlPlaneGrain;
}
