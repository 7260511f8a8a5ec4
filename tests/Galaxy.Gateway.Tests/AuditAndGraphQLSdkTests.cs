using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Gateway.Tests;

/// <summary>The SDK's audit and GraphQL calls against the real gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuditAndGraphQLSdkTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_audit_is_read_and_checkpointed_through_the_SDK()
    {
        var ceo = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.Ceo));
        await RegistryRequests.ModelWithVersionAsync(fixture.Http, "sdk-audit");

        var rows = await ceo.ReadAuditAsync(after: 0, limit: 5);
        var checkpoint = await ceo.CheckpointAuditAsync();
        var checkpoints = await ceo.ListAuditCheckpointsAsync();
        var report = await ceo.VerifyAuditAsync();

        Assert.Equal(5, rows.Length);
        Assert.Equal(rows.Select(row => row.Seq).Order(), rows.Select(row => row.Seq));
        Assert.NotNull(checkpoint);
        Assert.Contains(checkpoints, listed => listed.Id == checkpoint.Id && listed.Signature == checkpoint.Signature);
        Assert.True(report.RowsChecked >= checkpoint.Seq);
    }

    [Fact]
    public async Task GraphQL_answers_data_and_errors_with_their_codes_through_the_SDK()
    {
        var lead = new GalaxyClient(await fixture.ClientForAsync(TestAccounts.LeadAi));
        var name = await RegistryRequests.ModelWithVersionAsync(fixture.Http, "sdk-graphql");

        var found = await lead.GraphQLAsync("query($id: ID!) { modelById(id: $id) { name version status } }", new { id = name });
        var refused = await lead.GraphQLAsync("mutation { deployModel(input: { modelId: \"no-such-model-sdk\" }) { id } }");

        Assert.Null(found.Errors);
        Assert.Equal("1", found.Data!.Value.GetProperty("modelById").GetProperty("version").GetString());
        Assert.Equal("model-not-found", Assert.Single(refused.Errors!).Code);
    }
}
