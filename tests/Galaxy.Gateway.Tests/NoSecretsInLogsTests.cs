using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Galaxy.Gateway.Guardian;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// A gateway logging everything, at every level, through the redaction it runs with, while it is sent every kind of
/// secret and personal data: passwords right and wrong, TOTP codes, access and refresh tokens, API keys, an account
/// name that is an e-mail address, an upload holding one. None of them may appear in any log line; the people named
/// appear as pseudonyms.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NoSecretsInLogsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Nothing_secret_or_personal_reaches_the_logs()
    {
        var capture = new LogCapture();
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var gateway = fixture.Gateway.WithWebHostBuilder(web => web
            .UseSetting("Logging:LogLevel:Default", "Trace")
            .UseSetting("Galaxy:Guardian:SigningKey", signingKey)
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(capture)));
        using var anonymous = gateway.CreateClient();
        var secrets = new List<string> { signingKey, TestAccounts.TotpSecretOf(TestAccounts.TotpCeo), TestAccounts.PasswordOf(TestAccounts.Operator) };

        var signedIn = await SignInAsync(anonymous, TestAccounts.Operator, TestAccounts.PasswordOf(TestAccounts.Operator), null);
        var tokens = (await signedIn.Content.ReadFromJsonAsync<TokenResponse>())!;
        secrets.AddRange([tokens.AccessToken, tokens.RefreshToken]);
        var refreshed = (await (await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = tokens.RefreshToken }))
            .Content.ReadFromJsonAsync<TokenResponse>())!;
        secrets.AddRange([refreshed.AccessToken, refreshed.RefreshToken]);
        await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = tokens.RefreshToken });
        await SignInAsync(anonymous, TestAccounts.LeadAi, "hunter2 is not the password", null);
        await SignInAsync(anonymous, "ann.person@example.com", "a guess", null);
        var code = TestAccounts.CurrentTotp(TestAccounts.TotpCeo)!;
        await SignInAsync(anonymous, TestAccounts.TotpCeo, TestAccounts.PasswordOf(TestAccounts.TotpCeo), code);
        secrets.AddRange(["hunter2 is not the password", TestAccounts.PasswordOf(TestAccounts.TotpCeo)]);

        using var lead = gateway.CreateClient();
        var leadTokens = (await (await SignInAsync(anonymous, TestAccounts.LeadAi, TestAccounts.PasswordOf(TestAccounts.LeadAi), null))
            .Content.ReadFromJsonAsync<TokenResponse>())!;
        lead.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", leadTokens.AccessToken);
        var key = (await (await lead.PostAsJsonAsync("/v1/auth/api-keys", new { name = "logged?" })).Content.ReadFromJsonAsync<ApiKeyCreated>())!.Key;
        secrets.AddRange([leadTokens.AccessToken, leadTokens.RefreshToken, key]);
        using var app = gateway.CreateClient();
        app.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        await app.PostAsJsonAsync("/v1/units/3/predict", new { input = new float[16] });
        var upload = await lead.PostAsync($"/v1/datasets?name={RegistryRequests.UniqueName("pii")}&label=label",
            RegistryRequests.Csv("x,y,label\n1,2,cat\n3,4,ann.person@example.com\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, upload.StatusCode);
        var problem = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("personal-data", "label", "e-mail address", 3),
            (problem.GetProperty("code").GetString(), problem.GetProperty("column").GetString(), problem.GetProperty("kind").GetString(),
             problem.GetProperty("line").GetInt32()));
        var logs = capture.Text;
        Assert.NotEmpty(capture.Lines);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
        Assert.DoesNotContain("ann.person@example.com", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign-in refused for lead_ai", logs, StringComparison.Ordinal);
        Assert.Contains("Sign-in refused for person:", logs, StringComparison.Ordinal);
        Assert.Contains("refused: column label looks like personal data (e-mail address)", logs, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password, string? totp) =>
        client.PostAsJsonAsync("/v1/auth/token", new { username, password, totp });
}
