namespace Galaxy.Gateway.Guardian;

/// <summary>The five Guardian roles, highest first, and the pseudo-role every API key carries.</summary>
public static class Roles
{
    public const string Ceo = "CEO";
    public const string Cto = "CTO";
    public const string LeadAi = "LEAD_AI";
    public const string AiEngineer = "AI_ENGINEER";
    public const string Operator = "OPERATOR";

    /// <summary>Not an account role: the role of a request signed with an API key.</summary>
    public const string ApiKey = "API_KEY";

    public static readonly string[] AccountRoles = [Ceo, Cto, LeadAi, AiEngineer, Operator];

    /// <summary>Roles whose sign-in needs a TOTP code besides the password.</summary>
    public static bool RequiresSecondFactor(string role) => role is Ceo or Cto;
}
