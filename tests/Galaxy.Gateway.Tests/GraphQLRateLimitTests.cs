using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Galaxy.Gateway.Tests;

/// <summary>
/// A GraphQL mutation takes its permit from the very window its REST route takes from: on a second gateway allowing ten
/// approval requests per principal and hour, requests through REST and through <c>requestCEOApproval</c> add up, and the
/// eleventh is refused on either face.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GraphQLRateLimitTests(GatewayFixture fixture)
{
    private const string Request = "mutation($id: ID!) { requestCEOApproval(modelId: $id, reason: \"limits\") { id } }";

    [Fact]
    public async Task The_eleventh_approval_request_in_the_hour_is_refused_through_GraphQL_as_through_REST()
    {
        await using var strict = fixture.Gateway.WithWebHostBuilder(web => web.UseSetting("Galaxy:RateLimits:Approvals:PermitLimit", "10"));
        using var client = strict.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await fixture.ClientForAsync(TestAccounts.AiEngineer)).DefaultRequestHeaders.Authorization;
        var model = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "gql-limited");

        var rest = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            rest.Add((await client.PostAsJsonAsync("/v1/guardian/approvals", new { model, reason = "limits" })).StatusCode);
        }

        var graphQL = new List<JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            graphQL.Add(await client.GraphQLAsync(Request, new { id = model }));
        }

        var eleventh = await client.GraphQLAsync(Request, new { id = model });
        var twelfth = await client.PostAsJsonAsync("/v1/guardian/approvals", new { model, reason = "limits" });
        var pending = await (await fixture.Http.GetAsync("/v1/guardian/approvals?status=PENDING&limit=1000")).JsonAsync();

        Assert.All(rest, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.All(graphQL, answer => Assert.Empty(answer.ErrorCodes()));
        Assert.Equal(["rate-limited"], eleventh.ErrorCodes());
        Assert.Equal(["requestCEOApproval"], eleventh.GetProperty("errors")[0].GetProperty("path").EnumerateArray().Select(step => step.GetString()));
        Assert.Equal(JsonValueKind.Null, eleventh.GetProperty("data").ValueKind);
        Assert.Equal(HttpStatusCode.TooManyRequests, twelfth.StatusCode);
        Assert.Equal("rate-limited", await TokenTests.CodeOfAsync(twelfth));
        Assert.Equal(10, pending.GetProperty("items").EnumerateArray().Count(item => item.GetProperty("model").GetProperty("name").GetString() == model));
    }
}
