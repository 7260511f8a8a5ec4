using System.Net;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// Well over a hundred bad requests — broken JSON, wrong types, NaN, huge and deep bodies, impossible ids, bad headers —
/// each answered with a 4xx problem that carries a code, never a 5xx.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BadRequestCorpusTests(GatewayFixture fixture)
{
    private const string Zeros16 = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]";

    private static readonly string[] BadBodies =
    [
        "", "null", "[]", "\"text\"", "42", "true", "{", "}", "{\"input\":", "not json", "{'input':[1]}",
        "{\"input\":[1,2,3,],}", "{\"input\":" + Zeros16 + " // comment\n}", "{\"input\":[NaN]}", "{\"input\":[Infinity]}",
        "{\"input\":[-Infinity]}", "{\"input\":[\"NaN\"]}", "{\"input\":[1e39]}", "{\"input\":[-1e39]}", "{\"input\":\"sixteen\"}",
        "{\"input\":{\"0\":1}}", "{\"input\":[[0]]}", "{\"input\":[null]}", "{\"input\":[true]}", "{\"input\":[0x10]}",
        "{\"input\":[" + string.Join(',', Enumerable.Repeat("0", 100_000)) + "]}",
        Nest(9), Nest(64), Nest(10_000), "\u0000\u0001\u0002", "{\"input\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", "\uFEFF{]",
    ];

    private static readonly string[] BodyEndpoints =
        ["/v1/units/1/predict", "/v1/units/1/learn", "/v1/labscapes/0/predict", "/v1/galaxy/tick", "/v1/models", "/v1/models/corpus/versions",
        "/v1/training/jobs", "/v1/models/corpus/versions/1/evaluate"];

    private static readonly string[] BadTimeouts = ["1.5", "1e20", "-1", "0", "600001", "\"soon\"", "[5]"];

    private static readonly string[] TimeoutEndpoints =
    [
        "/v1/units/1/predict:{\"input\":" + Zeros16 + ",\"timeoutMs\":",
        "/v1/units/1/learn:{\"input\":" + Zeros16 + ",\"target\":[0,0,0,0],\"timeoutMs\":",
        "/v1/labscapes/0/predict:{\"units\":[0],\"inputs\":[" + Zeros16 + "],\"timeoutMs\":",
    ];

    private static readonly string[] BadPaths =
    [
        "/v1/units/-1", "/v1/units/1.5", "/v1/units/0x10", "/v1/units/1e3", "/v1/units/%FF", "/v1/units/%2F", "/v1/units/" + new string('9', 1_000),
        "/v1/units/99999999999999999999999", "/v1/units/32", "/v1/units/1048576", "/v1/labscapes/4", "/v1/labscapes/-1",
        "/v1/labscapes/" + long.MaxValue, "/v1/labscapes/%20", "/v1/audit?after=-1", "/v1/audit?limit=0", "/v1/audit?limit=abc",
        "/v1/audit?limit=100000", "/v1/nowhere", "/v1/units/1/explode",
        "/v1/models/%20", "/v1/models/" + new string('m', 1_000), "/v1/models?limit=0", "/v1/models?limit=100000", "/v1/models?offset=-1",
        "/v1/models?limit=abc", "/v1/models?tag=novalue", "/v1/models?tag=:value", "/v1/models?status=LIVE", "/v1/models/no-such-model/versions",
        "/v1/models/no-such-model/versions/1", "/v1/models/no-such-model/versions/x/weights", "/v1/models/no-such-model/aliases",
        "/v1/datasets/no-such-dataset", "/v1/datasets/" + Guid.Empty, "/v1/datasets?limit=abc", "/v1/datasets?offset=-5",
        "/v1/training/jobs/not-a-job", "/v1/training/jobs/" + Guid.Empty, "/v1/training/jobs/" + Guid.Empty + "/events",
        "/v1/training/jobs/x/events", "/v1/training/jobs?status=DONE", "/v1/training/jobs?limit=0", "/v1/training/jobs?offset=-1",
        "/v1/training/jobs?limit=abc", "/v1/training/jobs?model=no-such-model",
    ];

    public static TheoryData<string, string> Bodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in BodyEndpoints)
        {
            foreach (var body in BadBodies)
            {
                data.Add(endpoint, body);
            }
        }

        foreach (var (endpoint, prefix) in TimeoutEndpoints.Select(entry => entry.Split(':', 2)).Select(parts => (parts[0], parts[1])))
        {
            foreach (var timeout in BadTimeouts)
            {
                data.Add(endpoint, prefix + timeout + "}");
            }
        }

        return data;
    }

    public static TheoryData<string> Paths() => [.. BadPaths];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_bad_body_is_a_4xx_problem(string endpoint, string body) =>
        await AssertProblemAsync(await fixture.Http.PostAsync(endpoint, new StringContent(body, Encoding.UTF8, "application/json")));

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_bad_path_or_query_is_a_4xx_problem(string path) =>
        await AssertProblemAsync(await (await fixture.ClientForAsync(TestAccounts.Ceo)).GetAsync(path));

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data")]
    public async Task A_body_that_is_not_json_is_a_415_problem(string mediaType)
    {
        var response = await fixture.Http.PostAsync("/v1/units/1/predict", new StringContent("{\"input\":" + Zeros16 + "}", Encoding.UTF8, mediaType));

        await AssertProblemAsync(response);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_body_with_no_content_type_is_a_4xx_problem()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"input\":" + Zeros16 + "}"));

        await AssertProblemAsync(await fixture.Http.PostAsync("/v1/units/1/predict", content));
    }

    [Theory]
    [InlineData("Authorization", "Bearer")]
    [InlineData("Authorization", "Bearer not.a.jwt")]
    [InlineData("Authorization", "Bearer a.b.c")]
    [InlineData("Authorization", "Basic bGVhZDpwYXNzd29yZA==")]
    [InlineData("Authorization", "Negotiate abc")]
    [InlineData("X-Api-Key", "")]
    [InlineData("X-Api-Key", "gxk_")]
    [InlineData("X-Api-Key", "gxk_\u00e9\u00e9")]
    public async Task A_bad_credential_header_is_a_401_problem(string header, string value)
    {
        using var client = fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);

        var response = await client.GetAsync("/v1/units/1");

        await AssertProblemAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_four_MiB_is_a_413_problem()
    {
        var response = await fixture.Http.PostAsync("/v1/units/1/learn", new ByteArrayContent(new byte[5 * 1024 * 1024]));

        await AssertProblemAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem() =>
        await AssertProblemAsync(await fixture.Http.PutAsync("/v1/units/1/predict", new StringContent("{}", Encoding.UTF8, "application/json")));

    private static async Task AssertProblemAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{response.RequestMessage?.RequestUri}: {status}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("code").GetString()));
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    private static string Nest(int depth) => "{\"input\":" + new string('[', depth) + new string(']', depth) + "}";
}
