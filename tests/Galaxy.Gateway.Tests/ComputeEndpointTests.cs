using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ComputeEndpointTests(GatewayFixture fixture)
{
    private static readonly float[] Input = Enumerable.Range(0, 16).Select(i => i / 16f - 0.5f).ToArray();

    [Fact]
    public async Task Predict_returns_the_units_outputs()
    {
        var response = await fixture.Http.PostAsJsonAsync("/v1/units/9/predict", new { input = Input });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(9, body.GetProperty("unitId").GetInt64());
        Assert.Equal(4, body.GetProperty("output").GetArrayLength());
    }

    [Fact]
    public async Task Learn_acknowledges_a_new_durable_revision()
    {
        var before = await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/units/10");

        var response = await fixture.Http.PostAsJsonAsync("/v1/units/10/learn", new { input = Input, target = new[] { 1f, 0, 0, 0 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(before.GetProperty("revision").GetInt64() + 1, receipt.GetProperty("revision").GetInt64());
        Assert.True(receipt.GetProperty("loss").GetSingle() >= 0);
        var after = await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/units/10");
        Assert.Equal(receipt.GetProperty("revision").GetInt64(), after.GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task A_units_ETag_is_its_revision_and_a_learn_with_If_Match_applies_once()
    {
        var unit = await fixture.Http.GetAsync("/v1/units/22");
        var etag = unit.Headers.ETag!.Tag;
        var revision = (await unit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revision").GetInt64();

        var learned = await LearnIfMatchAsync(22, etag);
        var repeated = await LearnIfMatchAsync(22, etag);

        Assert.Equal($"\"{revision}\"", etag);
        Assert.Equal(HttpStatusCode.OK, learned.StatusCode);
        Assert.Equal($"\"{revision + 1}\"", learned.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, repeated.StatusCode);
        var problem = await repeated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("revision-mismatch", problem.GetProperty("code").GetString());
        Assert.Equal(revision + 1, problem.GetProperty("revision").GetInt64());
    }

    [Theory]
    [InlineData("W/\"1\"")]
    [InlineData("\"one\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("\"-1\"")]
    public async Task An_If_Match_that_names_no_single_revision_is_a_400(string ifMatch)
    {
        var response = await LearnIfMatchAsync(23, ifMatch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid-if-match", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private async Task<HttpResponseMessage> LearnIfMatchAsync(long unitId, string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/units/{unitId}/learn")
        {
            Content = JsonContent.Create(new { input = Input, target = new[] { 0f, 0, 0, 1 } }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await fixture.Http.SendAsync(request);
    }

    [Fact]
    public async Task Reset_returns_the_seeded_state()
    {
        var seeded = await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/units/11");
        await fixture.Http.PostAsJsonAsync("/v1/units/11/learn", new { input = Input, target = new[] { 0f, 1, 0, 0 } });

        var response = await fixture.Http.PostAsync("/v1/units/11/reset", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reset = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(seeded.GetProperty("parameters").ToString(), reset.GetProperty("parameters").ToString());
    }

    [Fact]
    public async Task Bulk_predict_answers_one_row_per_unit()
    {
        var response = await fixture.Http.PostAsJsonAsync("/v1/labscapes/1/predict", new { units = new[] { 8, 9, 15 }, inputs = new[] { Input, Input, Input } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("outputs").GetArrayLength());
    }

    [Fact]
    public async Task The_tick_covers_every_unit()
    {
        var response = await fixture.Http.PostAsJsonAsync("/v1/galaxy/tick", new { input = Input });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(GalaxyTestCluster.Labscapes * GalaxyTestCluster.UnitsPerLabscape, body.GetProperty("units").GetInt64());
    }

    [Theory]
    [InlineData("/v1/units/1/predict", """{"input":[1,2,3]}""", "invalid-input")]
    [InlineData("/v1/units/1/predict", """{}""", "invalid-input")]
    [InlineData("/v1/units/1/predict", """{"input":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"timeoutMs":0}""", "invalid-input")]
    [InlineData("/v1/units/1/predict", """{"input":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"timeoutMs":600000}""", "invalid-input")]
    [InlineData("/v1/units/1/predict", """{"input":[1e39,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}""", "invalid-input")]
    [InlineData("/v1/units/1/learn", """{"input":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"target":[1,2]}""", "invalid-input")]
    [InlineData("/v1/units/1/learn", """{"input":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}""", "invalid-input")]
    [InlineData("/v1/units/x/learn", """{"input":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"target":[1,2,3,4]}""", "invalid-id")]
    [InlineData("/v1/labscapes/1/predict", """{"units":[8,9],"inputs":[[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]]}""", "invalid-input")]
    [InlineData("/v1/labscapes/1/predict", """{"units":[0],"inputs":[[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]]}""", "invalid-input")]
    [InlineData("/v1/labscapes/1/predict", """{"units":[],"inputs":[]}""", "invalid-input")]
    [InlineData("/v1/galaxy/tick", """{"input":[1]}""", "invalid-input")]
    public async Task Wrong_dimensions_and_out_of_range_values_are_400_problems(string path, string json, string code)
    {
        var response = await fixture.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"input":[NaN,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}""")]
    [InlineData("""{"input":["NaN",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}""")]
    [InlineData("""{"input":[0,0,0""")]
    [InlineData("""{"input":"sixteen"}""")]
    [InlineData("not json")]
    public async Task Malformed_json_and_NaN_are_400_problems(string json)
    {
        var response = await fixture.Http.PostAsync("/v1/units/1/predict", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused()
    {
        var huge = new StringContent("{\"input\":[" + string.Join(',', Enumerable.Repeat("0", 2_500_000)) + "]}", Encoding.UTF8, "application/json");

        var response = await fixture.Http.PostAsync("/v1/units/1/predict", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}

public sealed class OverloadEndpointTests(SlowGatewayFixture fixture) : IClassFixture<SlowGatewayFixture>
{
    private static readonly float[] Input = new float[16];

    [Fact]
    public async Task A_full_labscape_queue_is_a_429_with_Retry_After()
    {
        // Units, labscape and the request pipeline warm first, so that the burst reaches the queue within the hold.
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => fixture.Http.GetAsync($"/v1/units/{i}"))
            .Append(fixture.Http.GetAsync("/v1/labscapes/0")));
        Assert.All(reads, read => Assert.Equal(HttpStatusCode.OK, read.StatusCode));

        var responses = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => fixture.Http.PostAsJsonAsync($"/v1/units/{i % 8}/predict", new { input = Input })));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task A_missed_deadline_is_a_504()
    {
        var response = await fixture.Http.PostAsJsonAsync("/v1/units/20/predict", new { input = Input, timeoutMs = 5 });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("deadline-exceeded", problem.GetProperty("code").GetString());
    }
}
