using Galaxy.Persistence.GroupCommit;
using Npgsql;

namespace Galaxy.Grains;

/// <summary>
/// A grain of the control plane, which talks to PostgreSQL within its calls (the registry, jobs, deployments). A
/// driver's exception has no codec and would reach the caller as an internal error; it leaves as
/// <see cref="StorageUnavailableException"/> instead, which callers (the gateway: 503, retry) understand.
/// </summary>
public abstract class ControlPlaneGrain : Grain, IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (NpgsqlException fault)
        {
            throw new StorageUnavailableException($"PostgreSQL refused or could not be reached: {fault.Message}");
        }
    }
}
