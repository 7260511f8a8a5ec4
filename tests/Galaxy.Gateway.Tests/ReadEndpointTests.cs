using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ReadEndpointTests(GatewayFixture fixture)
{
    private const long LastUnit = GalaxyTestCluster.Labscapes * GalaxyTestCluster.UnitsPerLabscape - 1;

    [Fact]
    public async Task Get_unit_returns_its_persisted_state()
    {
        var response = await fixture.Http.GetAsync($"/v1/units/{LastUnit}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var unit = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(LastUnit, unit.GetProperty("unitId").GetInt64());
        Assert.Equal(GalaxyTestCluster.Labscapes - 1, unit.GetProperty("labscapeId").GetInt32());
        Assert.Equal(340, unit.GetProperty("parameters").GetArrayLength());
    }

    [Fact]
    public async Task Get_labscape_returns_its_persisted_state()
    {
        var response = await fixture.Http.GetAsync("/v1/labscapes/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var labscape = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, labscape.GetProperty("state").GetProperty("labscapeId").GetInt32());
        Assert.Equal(GalaxyTestCluster.UnitsPerLabscape, labscape.GetProperty("state").GetProperty("firstUnitId").GetInt64());
        Assert.True(labscape.GetProperty("metrics").TryGetProperty("latencyP99Ms", out _));
    }

    [Theory]
    [InlineData("/v1/units/abc")]
    [InlineData("/v1/units/-1")]
    [InlineData("/v1/units/1.5")]
    [InlineData("/v1/units/0x10")]
    [InlineData("/v1/units/%201")]
    [InlineData("/v1/units/99999999999999999999999")]
    [InlineData("/v1/labscapes/abc")]
    [InlineData("/v1/labscapes/-3")]
    public async Task A_malformed_id_is_a_400_problem(string path)
    {
        var problem = await GetProblemAsync(path, HttpStatusCode.BadRequest);

        Assert.Equal("invalid-id", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/v1/units/32", "unit-not-found")]
    [InlineData("/v1/units/1048575", "unit-not-found")]
    [InlineData("/v1/labscapes/4", "labscape-not-found")]
    [InlineData("/v1/labscapes/255", "labscape-not-found")]
    public async Task An_id_outside_the_topology_is_a_404_problem(string path, string code)
    {
        var problem = await GetProblemAsync(path, HttpStatusCode.NotFound);

        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task List_labscapes_gives_every_labscapes_unit_range()
    {
        var list = await fixture.Http.GetFromJsonAsync<JsonElement>("/v1/labscapes");

        var labscapes = list.GetProperty("labscapes").EnumerateArray().ToArray();
        Assert.Equal(GalaxyTestCluster.Labscapes, labscapes.Length);
        Assert.Equal(3L * GalaxyTestCluster.UnitsPerLabscape, labscapes[3].GetProperty("firstUnitId").GetInt64());
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await fixture.Http.GetAsync("/v1/nebulae/1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_healthy_while_PostgreSQL_and_the_cluster_answer(string path)
    {
        var response = await fixture.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_read_endpoints()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/units/{id}", out _));
        Assert.True(paths.TryGetProperty("/v1/labscapes/{id}", out _));
    }

    private async Task<JsonElement> GetProblemAsync(string path, HttpStatusCode expected)
    {
        var response = await fixture.Http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
