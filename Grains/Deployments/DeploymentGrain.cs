using System.Globalization;
using System.Text.Json;
using Galaxy.Grains.Labscapes;
using Galaxy.Registry;
using Galaxy.Registry.Deployments;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Galaxy.Grains.Deployments;

/// <summary>
/// Runs one guarded deployment (the seed's "CEO Authorization Workflow"): Guardian's check on start (auto-approval, or
/// a request for the CEO's decision), then the canary plan: each step serves the version to its share of every target
/// labscape's units (one record per labscape, no unit writes), and each interval an analysis compares the canary with
/// the stable version on the inference the gateways report (<see cref="IVersionMonitorGrain"/>). A passed analysis
/// promotes; <see cref="CanaryPlan.FailureLimit"/> failed ones in a row roll back at once: every target serves what it
/// served before, so every canary unit returns to its version (and its own weights there, which it kept).
/// </summary>
/// <remarks>
/// Every transition is persisted (grain state, then the deployment's row and its audit row in one transaction) before
/// the next begins; an activation that finds the deployment progressing resumes it at its step (serving a step is
/// idempotent), which is how a deployment outlives its silo (<c>ResumeSupervisor</c> activates it).
/// </remarks>
public sealed partial class DeploymentGrain(
    [PersistentState(DeploymentState.StateName, GrainStorage.Galaxy)] IPersistentState<DeploymentState> state,
    GalaxyTopology topology,
    ModelRegistry registry,
    ApprovalStore approvals,
    DeploymentStore deployments,
    GuardianChecks guardian,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<DeploymentGrain> logger) : ControlPlaneGrain, IDeploymentGrain, ICanaryAlarmGrain
{
    private const string Guardian = "guardian";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    // An alert on the canary, and the wait it cuts short: the run takes it as a failed analysis. In memory: lost with
    // the silo, the alert stays in its table and the resumed deployment judges the canary at its next interval anyway.
    private (Guid AlertId, string Summary)? _breach;
    private CancellationTokenSource? _wake;

    private Guid DeploymentId => this.GetPrimaryKey();

    private DeploymentRequest Request => state.State.Request!;

    private string Target => $"deployments/{DeploymentId} ({Request.Version.Key} to {Request.Labscapes.Length} labscapes)";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.RecordExists && state.State.Status == DeploymentStatus.Progressing)
        {
            _run = RunAsync();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The state in storage is where the next activation goes on from.
        }
    }

    public async Task<DeploymentState> Start(DeploymentRequest request)
    {
        if (state.RecordExists)
        {
            return state.State;
        }

        await EnsureStartableAsync(request);
        var now = clock.GetUtcNow();
        state.State = new DeploymentState
        {
            DeploymentId = DeploymentId,
            Request = request,
            Status = DeploymentStatus.AwaitingApproval,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await UpdateAsync("deployment.created", request.RequestedBy, request.Reason, deployment => deployment);
        var check = await guardian.CheckAsync(request);
        if (check.Passed)
        {
            await UpdateAsync(
                "deployment.approved", Guardian, $"Guardian's check passed: {check.Detail}",
                deployment => deployment with { Check = check, Status = DeploymentStatus.Progressing, ApprovedBy = Guardian });
            await ApproveVersionAsync(Guardian, check.Detail);
            _run = RunAsync();
            return state.State;
        }

        var approval = await approvals.RequestAsync(
            request.Version.ModelId, request.Version.Version, DeploymentId, $"Guardian's check failed: {check.Detail}. {request.Reason}".Trim(),
            JsonSerializer.Serialize(check, Json), request.RequestedBy, CancellationToken.None);
        await UpdateAsync(
            "deployment.awaiting-approval", Guardian, $"Guardian's check failed: {check.Detail}; approval {approval.Id} asked of the CEO",
            deployment => deployment with { Check = check, ApprovalId = approval.Id });
        return state.State;
    }

    public Task<DeploymentState> GetState() =>
        state.RecordExists ? Task.FromResult(state.State) : throw new DeploymentNotFoundException($"No deployment has the id {DeploymentId}.");

    public async Task<DeploymentState> Decide(Guid approvalId)
    {
        var current = await GetState();
        var approval = await approvals.FindAsync(approvalId, CancellationToken.None);
        if (current.Status != DeploymentStatus.AwaitingApproval || current.ApprovalId != approvalId || approval is not { Status: not "PENDING" })
        {
            return current;
        }

        var decidedBy = approval.DecidedBy!;
        var because = string.IsNullOrWhiteSpace(approval.Comment) ? "" : $": {approval.Comment}";
        if (approval.Status != "APPROVED")
        {
            await UpdateAsync(
                "deployment.rejected", decidedBy, $"the CEO rejected it{because}",
                deployment => deployment with { Status = DeploymentStatus.Rejected, EndedAt = clock.GetUtcNow() });
            return state.State;
        }

        var holding = await deployments.HoldingAsync(Request.Labscapes, DeploymentId, CancellationToken.None);
        if (holding.Count > 0)
        {
            // Approved while another deployment started rolling out to the same labscapes: it cannot go on beside it.
            await UpdateAsync(
                "deployment.failed", decidedBy, $"approved{because}, but deployment {holding[0]} is rolling out to some of its labscapes",
                deployment => deployment with
                {
                    Status = DeploymentStatus.Failed,
                    Error = $"Deployment {holding[0]} was rolling out to some of its labscapes when it was approved.",
                    EndedAt = clock.GetUtcNow(),
                });
            return state.State;
        }

        await UpdateAsync(
            "deployment.approved", decidedBy, $"the CEO approved it{because}",
            deployment => deployment with { Status = DeploymentStatus.Progressing, ApprovedBy = decidedBy });
        await ApproveVersionAsync(decidedBy, approval.Comment);
        _run = RunAsync();
        return state.State;
    }

    public async Task<DeploymentState> Rollback(string actor, string reason)
    {
        var current = await GetState();
        switch (current.Status)
        {
            case DeploymentStatus.Progressing:
                await _stop.CancelAsync();
                await _run;
                break;
            case DeploymentStatus.Succeeded:
                await EnsureStillServedAsync();
                break;
            case DeploymentStatus.AwaitingApproval:
                // Withdrawn before it served anything.
                break;
            default:
                throw new DeploymentNotRollbackableException(
                    $"Deployment {DeploymentId} is {current.Status.ToWireName()}: its labscapes serve what they served before it.");
        }

        await RollBackAsync(actor, $"rolled back by hand: {reason}");
        return state.State;
    }

    public Task Breached(Guid alertId, string summary)
    {
        if (state.RecordExists && state.State.Status == DeploymentStatus.Progressing)
        {
            _breach = (alertId, summary);
            _wake?.Cancel();
        }

        return Task.CompletedTask;
    }

    /// <summary>A finished deployment rolls back only while its labscapes serve what it left them, and none is rolling out another.</summary>
    private async Task EnsureStillServedAsync()
    {
        var servings = await Task.WhenAll(Request.Labscapes.Select(async labscape => (Labscape: labscape, (await GrainFactory.GetLabscape(labscape).GetState()).Serving)));
        var moved = servings.Where(s => s.Serving.Deployment != DeploymentId.ToString()).Select(s => s.Labscape).ToArray();
        if (moved.Length > 0)
        {
            throw new DeploymentNotRollbackableException(
                $"A later deployment changed what {moved.Length} of its labscapes serve (labscape {moved[0]} first); roll that one back, or deploy the version wanted.");
        }

        var holding = await deployments.HoldingAsync(Request.Labscapes, DeploymentId, CancellationToken.None);
        if (holding.Count > 0)
        {
            throw new DeploymentNotRollbackableException($"Deployment {holding[0]} is rolling out to some of its labscapes; wait for it or roll it back.");
        }
    }

    /// <summary>The plan is valid, the targets exist, and no other unfinished deployment holds one of them.</summary>
    private async Task EnsureStartableAsync(DeploymentRequest request)
    {
        var problems = request.Plan.Problems().ToList();
        if (request.Labscapes.Length == 0 || request.Labscapes.Distinct().Count() != request.Labscapes.Length
            || request.Labscapes.Any(labscape => !topology.ContainsLabscape(labscape)))
        {
            problems.Add($"labscapes must be distinct ids in 0…{topology.Labscapes - 1}, at least one.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDeploymentException(string.Join(" ", problems));
        }

        var holding = await deployments.HoldingAsync(request.Labscapes, DeploymentId, CancellationToken.None);
        if (holding.Count > 0)
        {
            throw new InvalidDeploymentException($"Deployment {holding[0]} is still rolling out to some of these labscapes; wait for it or roll it back.");
        }
    }

    /// <summary>PENDING → APPROVED in the registry, when it is still pending (a version approved before stays as it is).</summary>
    private async Task ApproveVersionAsync(string actor, string? reason)
    {
        var version = Request.Version;
        var found = await registry.FindVersionAsync(version.ModelId, version.Version.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        if (found?.Status == VersionStatus.Pending)
        {
            await registry.ChangeStatusAsync(version.ModelId, version.Version, VersionStatus.Approved, actor, reason, CancellationToken.None);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (state.State.Previous.Count == 0)
            {
                var previous = await Task.WhenAll(Request.Labscapes.Select(async labscape => (await GrainFactory.GetLabscape(labscape).GetState()).Serving));
                await UpdateAsync(
                    "deployment.started", Request.RequestedBy, $"recorded what {previous.Length} labscapes serve, for a rollback",
                    deployment => deployment with { Previous = previous });
            }

            var steps = Request.Plan.StepsPercent;
            for (var step = Math.Max(0, state.State.Step); step < steps.Length; step++)
            {
                await ServeStepAsync(step);
                if (steps[step] == 100)
                {
                    await UpdateAsync(
                        "deployment.succeeded", Guardian, $"{Request.Version.Key} serves every unit of its {Request.Labscapes.Length} labscapes",
                        deployment => deployment with { Status = DeploymentStatus.Succeeded, EndedAt = clock.GetUtcNow() });
                    return;
                }

                if (!await AnalyseUntilJudgedAsync())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Deactivating, or rolled back by hand: whoever stopped the run carries on.
        }
        catch (Exception fault) when (fault is NpgsqlException or StateNotPersistedException or TimeoutException or OrleansException)
        {
            LogInfrastructureFault(logger, fault, DeploymentId);
            DeactivateOnIdle();
        }
        catch (Exception fault)
        {
            LogFailed(logger, fault, DeploymentId);
            try
            {
                await RollBackAsync(Guardian, $"failed: {fault.Message}", failed: true);
            }
            catch (Exception rollbackFault) when (rollbackFault is NpgsqlException or StateNotPersistedException or TimeoutException or OrleansException)
            {
                // The rollback resumes with the next activation: the deployment is still progressing in storage.
                LogInfrastructureFault(logger, rollbackFault, DeploymentId);
                DeactivateOnIdle();
            }
        }
    }

    /// <summary>Serves step <paramref name="step"/> to every target (again, when resuming: it is idempotent) and opens its window.</summary>
    private async Task ServeStepAsync(int step)
    {
        var percent = Request.Plan.StepsPercent[step];
        await Task.WhenAll(Request.Labscapes.Select((labscape, i) =>
            GrainFactory.GetGrain<ILabscapeEngineGrain>(labscape).Serve(ServingAt(state.State.Previous[i], percent))));
        if (step == 0)
        {
            await MarkVersionAsync(VersionStatus.Deployed, "serving its first units");
        }

        if (state.State.Step == step)
        {
            return;
        }

        var (canary, stable) = await FiguresAsync();
        await UpdateAsync(
            "deployment.step", Guardian, $"{Request.Version.Key} serves {percent} % of the units of {Request.Labscapes.Length} labscapes",
            deployment => deployment with
            {
                Step = step,
                StepStartedAt = clock.GetUtcNow(),
                CanaryBaseline = canary,
                StableBaseline = stable,
                FailedAnalyses = 0,
            });
    }

    /// <summary>
    /// Analyses each interval until one judges (enough canary requests): true once one passes, false once the failure
    /// limit is reached and the deployment rolled back.
    /// </summary>
    private async Task<bool> AnalyseUntilJudgedAsync()
    {
        var plan = Request.Plan;
        while (true)
        {
            var due = state.State.StepStartedAt!.Value + TimeSpan.FromSeconds(plan.IntervalSeconds * (state.State.FailedAnalyses + 1));
            var wait = due - clock.GetUtcNow();
            await WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

            var (canaryNow, stableNow) = await FiguresAsync();
            var canary = canaryNow.Since(state.State.CanaryBaseline ?? VersionFigures.Empty);
            var stable = stableNow.Since(state.State.StableBaseline ?? VersionFigures.Empty);
            var alarm = _breach is { } breach ? $"alert {breach.AlertId} on the canary: {breach.Summary}" : null;
            _breach = null;
            var judgement = CanaryJudge.Judge(plan, canary, stable, alarm, state.State.FailedAnalyses);
            if (judgement.Verdict == CanaryVerdict.Wait)
            {
                await UpdateAsync(
                    "deployment.waiting", Guardian, $"{canary.Requests} of {plan.MinSamples} canary requests so far",
                    deployment => deployment with { StepStartedAt = deployment.StepStartedAt!.Value + TimeSpan.FromSeconds(plan.IntervalSeconds) });
                continue;
            }

            var passed = judgement.Verdict == CanaryVerdict.Pass;
            var analysis = new CanaryAnalysis(
                state.State.CanaryPercent, clock.GetUtcNow(), Request.Version.Key, canary, StableKey, stable, passed,
                passed ? "within every limit" : string.Join("; ", judgement.Failures));
            await UpdateAsync(
                passed ? "deployment.analysis-passed" : "deployment.analysis-failed", Guardian, CanaryJudge.Describe(analysis),
                deployment => deployment with { Analyses = [.. deployment.Analyses, analysis], FailedAnalyses = judgement.FailedInARow });
            if (passed)
            {
                return true;
            }

            if (judgement.Verdict == CanaryVerdict.RollBack)
            {
                await RollBackAsync(Guardian, $"{judgement.FailedInARow} failed analyses: {analysis.Verdict}");
                return false;
            }
        }
    }

    /// <summary>Waits until the next analysis is due, or until an alert on the canary (<see cref="Breached"/>) cuts the wait short.</summary>
    private async Task WaitAsync(TimeSpan wait)
    {
        if (_breach is not null)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _wake = wake;
        try
        {
            await Task.Delay(wait, clock, wake.Token);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // Woken by an alert: it is analysed now.
        }
        finally
        {
            _wake = null;
        }
    }

    /// <summary>
    /// Every target serves again what it served before the deployment, and the version is marked rolled back; a
    /// deployment that had not yet recorded what its targets served has served nothing, and changes nothing.
    /// </summary>
    private async Task RollBackAsync(string actor, string why, bool failed = false)
    {
        if (state.State.Previous.Count == Request.Labscapes.Length)
        {
            await Task.WhenAll(Request.Labscapes.Select((labscape, i) =>
                GrainFactory.GetGrain<ILabscapeEngineGrain>(labscape).Serve(state.State.Previous[i])));
            await MarkVersionAsync(VersionStatus.RolledBack, why);
        }

        await UpdateAsync(
            failed ? "deployment.failed" : "deployment.rolled-back", actor, why,
            deployment => deployment with
            {
                Status = failed ? DeploymentStatus.Failed : DeploymentStatus.RolledBack,
                Error = failed ? why : deployment.Error,
                EndedAt = clock.GetUtcNow(),
            });
    }

    /// <summary>Moves the version's registry status when the move is legal from where it stands (another deployment may have moved it).</summary>
    private async Task MarkVersionAsync(VersionStatus to, string reason)
    {
        var version = Request.Version;
        var found = await registry.FindVersionAsync(version.ModelId, version.Version.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        if (found is not null && VersionTransitions.IsLegal(found.Status, to))
        {
            await registry.ChangeStatusAsync(version.ModelId, version.Version, to, Guardian, $"deployment {DeploymentId}: {reason}", CancellationToken.None);
        }
    }

    /// <summary>The canary's and the stable version's cumulative figures now.</summary>
    private async Task<(VersionFigures Canary, VersionFigures Stable)> FiguresAsync()
    {
        var canary = GrainFactory.GetGrain<IVersionMonitorGrain>(Request.Version.Key).GetFigures();
        var stable = GrainFactory.GetGrain<IVersionMonitorGrain>(StableKey).GetFigures();
        return (await canary, await stable);
    }

    /// <summary>The stable version the canary is compared with: what the first target served before.</summary>
    private string StableKey => state.State.Previous.Count > 0 ? state.State.Previous[0].StableKey : LabscapeServing.InitialVersion;

    private LabscapeServing ServingAt(LabscapeServing previous, int percent) => percent == 100
        ? new LabscapeServing(Request.Version, null, 0, DeploymentId.ToString())
        : new LabscapeServing(previous.Stable, Request.Version, percent * 100, DeploymentId.ToString());

    /// <summary>Applies a transition: persists the grain state, publishes the deployment's row with its audit row.</summary>
    private async Task UpdateAsync(string action, string principal, string detail, Func<DeploymentState, DeploymentState> change)
    {
        var now = clock.GetUtcNow();
        state.State = change(state.State) with
        {
            Revision = state.State.Revision + 1,
            UpdatedAt = now,
            Silo = silo.SiloAddress.ToString(),
            History = [.. state.State.History, new DeploymentEvent(now, action, principal, detail)],
        };
        await state.PersistAsync(this);
        var deployment = state.State;
        var version = Request.Version;
        ControlPlaneMetrics.DeploymentTransition(version.ModelName, action, deployment.CanaryPercent);
        await deployments.PublishAsync(
            new DeploymentRow(
                DeploymentId, version.ModelId, version.ModelName, version.Version, deployment.Status.ToWireName(), Request.Labscapes,
                deployment.Step, deployment.CanaryPercent, Request.RequestedBy, deployment.CreatedAt, now, deployment.EndedAt, deployment.Error),
            JsonSerializer.Serialize(Request.Plan, Json),
            new DeploymentTransition(principal, action, $"{Target}: {detail}", new { DeploymentId, action, detail, deployment.Step, deployment.Status }),
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} stopped by an infrastructure fault; it resumes on its next activation.")]
    private static partial void LogInfrastructureFault(ILogger logger, Exception fault, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId} failed and is rolled back.")]
    private static partial void LogFailed(ILogger logger, Exception fault, Guid deploymentId);
}
