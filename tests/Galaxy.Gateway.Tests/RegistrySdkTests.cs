using System.Text;
using Galaxy.Client;
using Galaxy.Contracts;

namespace Galaxy.Gateway.Tests;

/// <summary>The SDK's registry and dataset methods against the real gateway, and their problems as typed exceptions.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RegistrySdkTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_model_goes_from_dataset_to_retired_version_through_the_SDK()
    {
        var engineer = await SignedInAsync(TestAccounts.AiEngineer);
        var ceo = await SignedInAsync(TestAccounts.Ceo);
        var lead = await SignedInAsync(TestAccounts.LeadAi);
        var name = RegistryRequests.UniqueName("sdk");

        using var csv = new MemoryStream(Encoding.UTF8.GetBytes(RegistryRequests.UniqueCsv()));
        var dataset = await engineer.UploadDatasetAsync(RegistryRequests.UniqueName("sdk-data"), "label", csv);
        csv.Position = 0;
        var again = await engineer.UploadDatasetAsync(RegistryRequests.UniqueName("sdk-again"), "label", csv);
        var model = await engineer.CreateModelAsync(name, "made by the SDK", new Dictionary<string, string> { ["team"] = "sdk" });
        var updated = await engineer.UpdateModelAsync(name, description: "described again");
        var version = await engineer.RegisterVersionAsync(name, new RegisterVersionRequest(2, 3, 2, "CrossEntropy", RegistryRequests.Weights)
        {
            Classes = ["no", "yes"], Metrics = new Dictionary<string, double> { ["accuracy"] = 0.75 }, Dataset = dataset.Name,
        });
        var approved = await ceo.ApproveVersionAsync(name, "1", "reviewed");
        var aliased = await engineer.SetAliasAsync(name, "champion", 1);
        var aliases = await engineer.ListAliasesAsync(name);
        var byAlias = await engineer.GetVersionAsync(name, "champion");
        var weights = await engineer.GetWeightsAsync(name);
        var versions = await engineer.ListVersionsAsync(name, VersionStatus.Approved);
        var found = await engineer.SearchModelsAsync(name, new Dictionary<string, string> { ["team"] = "sdk" }, VersionStatus.Approved);
        var evaluations = await engineer.ListEvaluationsAsync(name, "1");
        await engineer.RemoveAliasAsync(name, "champion");
        var retired = await lead.RetireVersionAsync(name, "latest");
        var fetched = await engineer.GetModelAsync(model.Id.ToString());
        var datasets = await engineer.ListDatasetsAsync(limit: 1_000);

        Assert.Equal(dataset.Id, again.Id);
        Assert.True(csv.CanRead);
        Assert.Equal((3, 2), (dataset.Rows, dataset.FeatureNames.Length));
        Assert.Equal(dataset.Id, (await engineer.GetDatasetAsync(dataset.Name)).Id);
        Assert.Contains(datasets.Items, item => item.Id == dataset.Id);
        Assert.Equal("described again", updated.Description);
        Assert.Equal((1, VersionStatus.Pending, dataset.Sha256), (version.Version, version.Status, version.Lineage.DatasetSha256));
        Assert.Equal((VersionStatus.Approved, "reviewed"), (approved.Status, approved.StatusReason));
        Assert.Equal(["champion"], aliased.Aliases);
        Assert.Equal(("champion", 1), (aliases.Single().Alias, aliases.Single().Version));
        Assert.Equal(1, byAlias.Version);
        Assert.Equal(RegistryRequests.Weights, weights.Weights);
        Assert.Equal(1, versions.Total);
        Assert.Equal(name, found.Items.Single().Name);
        Assert.Empty(evaluations);
        Assert.Equal(VersionStatus.Retired, retired.Status);
        Assert.Equal((VersionStatus.Retired, 1), (fetched.LatestStatus, fetched.LatestVersion));
        Assert.Empty(fetched.Aliases);
    }

    [Fact]
    public async Task Registry_problems_arrive_as_typed_exceptions_with_their_codes()
    {
        var engineer = await SignedInAsync(TestAccounts.AiEngineer);
        var name = RegistryRequests.UniqueName("sdk-problems");
        await engineer.CreateModelAsync(name);
        await engineer.RegisterVersionAsync(name, new RegisterVersionRequest(2, 3, 2, "CrossEntropy", RegistryRequests.Weights));
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes(RegistryRequests.UniqueCsv()));
        var dataset = await engineer.UploadDatasetAsync(RegistryRequests.UniqueName("sdk-used"), "label", csv);
        await engineer.RegisterVersionAsync(name, new RegisterVersionRequest(2, 3, 2, "CrossEntropy", RegistryRequests.Weights) { Dataset = dataset.Id.ToString() });

        var missing = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => engineer.GetModelAsync("no-such-model"));
        var noVersion = await Assert.ThrowsAsync<GalaxyNotFoundException>(() => engineer.GetVersionAsync(name, "9"));
        var taken = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => engineer.CreateModelAsync(name));
        var forbidden = await Assert.ThrowsAsync<GalaxyForbiddenException>(() => engineer.ApproveVersionAsync(name, "1"));
        var illegal = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => engineer.SetAliasAsync(name, "latest", 1));
        var inUse = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(async () => await (await SignedInAsync(TestAccounts.LeadAi)).DeleteDatasetAsync(dataset.Name));
        using var bad = new MemoryStream(Encoding.UTF8.GetBytes("a,label\n1\n"));
        var invalid = await Assert.ThrowsAsync<GalaxyInvalidRequestException>(() => engineer.UploadDatasetAsync(RegistryRequests.UniqueName("sdk-bad"), "label", bad));

        Assert.Equal(("model-not-found", "version-not-found"), (missing.Code, noVersion.Code));
        Assert.Equal(("model-exists", "forbidden", "invalid-input"), (taken.Code, forbidden.Code, illegal.Code));
        Assert.Equal("dataset-in-use", inUse.Code);
        Assert.Equal("invalid-dataset", invalid.Code);
        Assert.Contains("Line 2, column 'label'", invalid.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// The SDK on an HTTP client that carries the fixture's token for <paramref name="account"/>: a TOTP code is good once,
    /// so the CEO is not signed in again here (SdkTests covers the SDK's own sign-in).
    /// </summary>
    private async Task<GalaxyClient> SignedInAsync(string account) => new(await fixture.ClientForAsync(account));
}
