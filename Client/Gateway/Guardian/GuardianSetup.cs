using Galaxy.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Galaxy.Gateway.Guardian;

/// <summary>
/// Guardian's authentication: a request is signed in by an API key (<c>X-Api-Key</c>), a bearer token, or, on the
/// dashboard's paths only, the session cookie the sign-in page sets. Authorization is by <see cref="Permissions"/>.
/// </summary>
internal static class GuardianSetup
{
    public const string Scheme = "Guardian";

    public static WebApplicationBuilder AddGuardian(this WebApplicationBuilder builder)
    {
        builder.AddBootstrapAccounts();
        builder.Services.AddOptions<GuardianOptions>()
            .Bind(builder.Configuration.GetSection(GuardianOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GuardianOptions>, GuardianOptionsValidation>();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => NpgsqlDataSource.Create(services.GetRequiredService<IConfiguration>().GetGalaxyConnectionString()));
        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<AccountDirectory>();
        builder.Services.AddSingleton<RefreshTokenStore>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<ValidatedTokens>();

        var oidc = builder.Configuration.GetSection($"{GuardianOptions.Section}:{nameof(GuardianOptions.Oidc)}").Get<OidcOptions>();
        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key, bearer token or dashboard session", options => options.ForwardDefaultSelector = context => SelectScheme(context, oidc))
            .AddJwtBearer();
        if (oidc is not null)
        {
            authentication.AddJwtBearer(OidcAuthentication.Scheme, jwt => OidcAuthentication.Configure(jwt, oidc));
        }

        authentication
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(DashboardSession.Scheme, DashboardSession.Configure);
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<GuardianOptions>, SigningKeys, ValidatedTokens>((jwt, guardian, keys, validated) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(validated);
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = guardian.Value.Issuer,
                    ValidAudience = guardian.Value.Audience,
                    IssuerSigningKeyResolver = (_, _, kid, _) => keys.Validating(kid),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = GuardianClaims.Subject,
                    RoleClaimType = GuardianClaims.Role,
                };
            });

        builder.Services.AddAuthorizationBuilder().AddGuardianPolicies();
        return builder;
    }

    private static string SelectScheme(HttpContext context, OidcOptions? oidc) =>
        context.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) ? ApiKeyAuthentication.SchemeName
        : context.Request.Headers.Authorization.Count == 0 && DashboardSession.Covers(context.Request.Path) ? DashboardSession.Scheme
        : oidc is not null && OidcAuthentication.IsFrom(context.Request.Headers.Authorization.ToString(), oidc) ? OidcAuthentication.Scheme
        : JwtBearerDefaults.AuthenticationScheme;
}
