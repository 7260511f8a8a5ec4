namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Guardian's security events, for the operators' logs: who is named only as a pseudonym (<see cref="PersonalDataAttribute"/>),
/// and nothing a caller sent as a credential is ever a parameter.
/// </summary>
internal static partial class GuardianLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused for {Account}: {Reason}.")]
    public static partial void SignInRefused(ILogger logger, [PersonalData] string account, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "API key {KeyId} created by {Account}.")]
    public static partial void ApiKeyCreated(ILogger logger, Guid keyId, [PersonalData] string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token of {Subject} from the OpenID Connect issuer refused: {Code}.")]
    public static partial void OidcTokenRefused(ILogger logger, [PersonalData] string subject, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset upload by {Account} refused: column {Column} looks like personal data ({Kind}).")]
    public static partial void PersonalDataRefused(ILogger logger, [PersonalData] string account, string column, string kind);
}
