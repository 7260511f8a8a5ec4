namespace Galaxy.Grains;

/// <summary>
/// One guarded deployment, keyed by its id: Guardian's check (auto-approval, or a CEO decision), then the canary plan
/// step by step over the target labscapes, an analysis each interval, and promotion or automatic rollback. Persisted
/// after every transition, each also a row of the audit chain; resumes on another silo when its silo dies.
/// </summary>
/// <remarks>
/// Start, Decide and Rollback write several rows in turn (state, audit, approval, registry; a rollback serves every
/// target labscape), so on a loaded database they may outlast the gateway's few-second response timeout: theirs is a
/// minute, since an answer the caller gave up on would leave it not knowing whether the deployment moved.
/// </remarks>
[Alias("galaxy.IDeploymentGrain")]
public interface IDeploymentGrain : IGrainWithGuidKey
{
    /// <summary>Starts the deployment once; starting an existing one returns its state unchanged.</summary>
    /// <exception cref="InvalidDeploymentException">The plan is invalid, or another deployment holds a target labscape.</exception>
    [Alias("Start")]
    [ResponseTimeout("00:01:00")]
    Task<DeploymentState> Start(DeploymentRequest request);

    /// <summary>The deployment's state (also the Orleans dashboard's grain-state view).</summary>
    [Alias("GetState"), AlwaysInterleave]
    Task<DeploymentState> GetState();

    /// <summary>
    /// Reads the CEO's recorded decision on the approval it waits for, and goes on or stops accordingly; harmless to
    /// repeat, and a no-op while the approval is still pending.
    /// </summary>
    [Alias("Decide")]
    [ResponseTimeout("00:01:00")]
    Task<DeploymentState> Decide(Guid approvalId);

    /// <summary>
    /// Rolls a deployment back at once, by hand: one in progress, or one that succeeded while its labscapes still serve
    /// what it left them; one awaiting approval is withdrawn.
    /// </summary>
    /// <exception cref="DeploymentNotRollbackableException">It ended otherwise, or a later deployment changed what its labscapes serve.</exception>
    [Alias("Rollback")]
    [ResponseTimeout("00:01:00")]
    Task<DeploymentState> Rollback(string actor, string reason);
}

/// <summary>A deployment that cannot start: a plan out of range, or a target labscape another deployment holds.</summary>
[GenerateSerializer, Alias("galaxy.invalid-deployment")]
public sealed class InvalidDeploymentException : Exception
{
    public InvalidDeploymentException()
    {
    }

    public InvalidDeploymentException(string message)
        : base(message)
    {
    }

    public InvalidDeploymentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No deployment was started under the id asked for.</summary>
[GenerateSerializer, Alias("galaxy.deployment-not-found")]
public sealed class DeploymentNotFoundException : Exception
{
    public DeploymentNotFoundException()
    {
    }

    public DeploymentNotFoundException(string message)
        : base(message)
    {
    }

    public DeploymentNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A deployment that cannot be rolled back: it ended without serving, or later deployments moved its labscapes on.</summary>
[GenerateSerializer, Alias("galaxy.deployment-not-rollbackable")]
public sealed class DeploymentNotRollbackableException : Exception
{
    public DeploymentNotRollbackableException()
    {
    }

    public DeploymentNotRollbackableException(string message)
        : base(message)
    {
    }

    public DeploymentNotRollbackableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
