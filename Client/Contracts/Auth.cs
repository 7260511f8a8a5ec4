namespace Galaxy.Contracts;

/// <summary><c>POST /v1/auth/token</c>: a password, and a TOTP code for CEO and CTO accounts.</summary>
public sealed record SignInRequest(string? Username, string? Password, string? Totp = null);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>A sign-in's or a refresh's answer; lifetimes in seconds.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn, string Role);

public sealed record CreateApiKeyRequest(string? Name);

/// <summary>A new API key: <c>Key</c> goes in the <c>X-Api-Key</c> header and is never shown again.</summary>
public sealed record ApiKeyCreated(Guid Id, string Name, string Key, DateTimeOffset CreatedAt);

/// <summary>What the gateway shows of a key: everything but the key.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
