using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Galaxy.Telemetry;
using Microsoft.AspNetCore.Hosting;

namespace Galaxy.Gateway.Tests;

/// <summary>Mutating requests land in the audit chain with who, what, outcome and a digest of the body.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditTrailTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_learn_is_recorded_with_its_principal_outcome_and_body_digest()
    {
        var body = """{"input":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.5],"target":[1,0,0,0]}""";

        var response = await fixture.Http.PostAsync("/v1/units/12/learn", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await LastRowAsync("unit.learn", "/v1/units/12/learn");
        Assert.Equal(TestAccounts.LeadAi, row.GetProperty("principal").GetString());
        Assert.Equal(200, row.GetProperty("outcome").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))), row.GetProperty("requestDigest").GetString());
    }

    [Fact]
    public async Task A_refused_reset_is_recorded_as_refused()
    {
        using var engineer = await fixture.ClientForAsync(TestAccounts.AiEngineer);

        var response = await engineer.PostAsync("/v1/units/13/reset", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var row = await LastRowAsync("unit.reset", "/v1/units/13/reset");
        Assert.Equal(TestAccounts.AiEngineer, row.GetProperty("principal").GetString());
        Assert.Equal(403, row.GetProperty("outcome").GetInt32());
    }

    [Fact]
    public async Task Sign_in_attempts_are_recorded_under_the_name_tried()
    {
        await fixture.SignInAsync(TestAccounts.Operator, "not the password");

        var row = await LastRowAsync("auth.token", "/v1/auth/token");
        Assert.Equal(TestAccounts.Operator, row.GetProperty("principal").GetString());
        Assert.Equal(401, row.GetProperty("outcome").GetInt32());
    }

    [Fact]
    public async Task A_request_with_a_traceparent_is_audited_under_its_trace_id_which_its_log_line_carries_too()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var logFile = new TemporaryLogFile();
        // The gateway's own log file, with ASP.NET Core's per-request line turned on, as an operator investigating would.
        await using (var gateway = fixture.Gateway.WithWebHostBuilder(web => web
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information")
            .ConfigureLogging(logging => logging.AddGalaxyLogFile(logFile.Configuration))))
        {
            using var client = gateway.CreateClient();
            client.DefaultRequestHeaders.Authorization = fixture.Http.DefaultRequestHeaders.Authorization;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/units/17/reset");
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Fails unless a line of the request's trace names its path.
            await logFile.LinesOnceWrittenAsync(line =>
                line.TryGetProperty("@tr", out var tr) && tr.GetString() == traceId && line.ToString().Contains("/v1/units/17/reset", StringComparison.Ordinal));
        }

        var row = await LastRowAsync("unit.reset", "/v1/units/17/reset");
        Assert.Equal(traceId, row.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task A_request_without_a_traceparent_is_audited_under_the_trace_its_gateway_began()
    {
        await fixture.Http.PostAsync("/v1/units/18/reset", null);

        var row = await LastRowAsync("unit.reset", "/v1/units/18/reset");

        Assert.Matches("^[0-9a-f]{32}$", row.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Predicts_are_not_audited()
    {
        await fixture.Http.PostAsJsonAsync("/v1/units/14/predict", new { input = new float[16] });

        Assert.DoesNotContain(await RowsAsync(), row => row.GetProperty("target").GetString() == "/v1/units/14/predict");
    }

    [Fact]
    public async Task The_chain_verifies_intact_through_the_api()
    {
        using var op = await fixture.ClientForAsync(TestAccounts.Operator);
        await fixture.Http.PostAsync("/v1/units/15/reset", null);

        var verdict = await op.GetFromJsonAsync<JsonElement>("/v1/audit/verify");

        Assert.True(verdict.GetProperty("intact").GetBoolean(), verdict.ToString());
        Assert.True(verdict.GetProperty("rowsChecked").GetInt64() >= 1);
    }

    [Fact]
    public async Task A_checkpoint_signed_through_the_api_is_witnessed_and_verify_names_it()
    {
        using var op = await fixture.ClientForAsync(TestAccounts.Operator);
        await fixture.Http.PostAsync("/v1/units/16/reset", null);

        var signed = await op.PostAsync("/v1/audit/checkpoints", null);
        var verdict = await op.GetFromJsonAsync<JsonElement>("/v1/audit/verify");

        Assert.Equal(System.Net.HttpStatusCode.Created, signed.StatusCode);
        var checkpoint = await signed.Content.ReadFromJsonAsync<JsonElement>();
        var id = checkpoint.GetProperty("id").GetInt64();
        Assert.True(File.Exists(Path.Combine(fixture.AuditDirectory, "witness", $"{id:D10}.json")));
        Assert.True(verdict.GetProperty("intact").GetBoolean(), verdict.ToString());
        Assert.True(verdict.GetProperty("lastCheckpoint").GetProperty("id").GetInt64() >= id);
        Assert.True(verdict.GetProperty("witnessedThrough").GetInt64() >= checkpoint.GetProperty("seq").GetInt64());
    }

    private async Task<JsonElement> LastRowAsync(string action, string target) =>
        (await RowsAsync()).Last(row => row.GetProperty("action").GetString() == action && row.GetProperty("target").GetString() == target);

    private async Task<List<JsonElement>> RowsAsync()
    {
        using var ceo = await fixture.ClientForAsync(TestAccounts.Ceo);
        var rows = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var page = (await ceo.GetFromJsonAsync<JsonElement>($"/v1/audit?after={after}&limit=1000")).EnumerateArray().ToList();
            if (page.Count == 0)
            {
                return rows;
            }

            rows.AddRange(page);
            after = page[^1].GetProperty("seq").GetInt64();
        }
    }
}
