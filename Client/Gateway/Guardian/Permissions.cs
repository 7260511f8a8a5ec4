using Microsoft.AspNetCore.Authorization;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// The permission matrix: each permission is an authorization policy naming the roles that hold it. docs/security.md
/// writes the same matrix per endpoint, and the gateway tests check every cell of it against the running gateway.
/// </summary>
public static class Permissions
{
    public const string Read = "read";
    public const string Predict = "predict";
    public const string Learn = "learn";
    public const string Reset = "reset";
    public const string Tick = "tick";
    public const string ManageApiKeys = "manage-api-keys";
    public const string Audit = "audit";
    public const string Dashboard = "dashboard";
    public const string ReadModels = "read-models";
    public const string WriteModels = "write-models";
    public const string ApproveModels = "approve-models";
    public const string RetireModels = "retire-models";
    public const string ReadDatasets = "read-datasets";
    public const string WriteDatasets = "write-datasets";
    public const string DeleteDatasets = "delete-datasets";
    public const string ReadTraining = "read-training";
    public const string Train = "train";
    public const string Optimize = "optimize";
    public const string ReadDeployments = "read-deployments";
    public const string Deploy = "deploy";
    public const string Rollback = "rollback";
    public const string ReadApprovals = "read-approvals";
    public const string RequestApproval = "request-approval";
    public const string DecideApprovals = "decide-approvals";
    public const string ReadMonitoring = "read-monitoring";
    public const string AcknowledgeAlerts = "acknowledge-alerts";
    public const string ConfigureAlerts = "configure-alerts";
    public const string ReadMetrics = "read-metrics";

    public static readonly IReadOnlyDictionary<string, string[]> Matrix = new Dictionary<string, string[]>
    {
        [Read] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [Predict] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator, Roles.ApiKey],
        [Learn] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer],
        [Reset] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [Tick] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.Operator],
        [ManageApiKeys] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [Audit] = [Roles.Ceo, Roles.Cto, Roles.Operator],
        [Dashboard] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [ReadModels] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [WriteModels] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer],
        [ApproveModels] = [Roles.Ceo, Roles.Cto],
        [RetireModels] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [ReadDatasets] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [WriteDatasets] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer],
        [DeleteDatasets] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [ReadTraining] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [Train] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer],
        [Optimize] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer],
        [ReadDeployments] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [Deploy] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [Rollback] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.Operator],
        [ReadApprovals] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [RequestApproval] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer],
        [DecideApprovals] = [Roles.Ceo],
        [ReadMonitoring] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [AcknowledgeAlerts] = [Roles.Ceo, Roles.Cto, Roles.LeadAi, Roles.AiEngineer, Roles.Operator],
        [ConfigureAlerts] = [Roles.Ceo, Roles.Cto, Roles.LeadAi],
        [ReadMetrics] = [Roles.Ceo, Roles.Cto, Roles.Operator],
    };

    public static AuthorizationBuilder AddGuardianPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (permission, roles) in Matrix)
        {
            authorization.AddPolicy(permission, policy => policy.RequireRole(roles));
        }

        // Endpoints that name no permission still need a signed-in caller: only what opts out is anonymous.
        return authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
