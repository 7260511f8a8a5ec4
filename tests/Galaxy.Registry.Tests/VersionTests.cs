namespace Galaxy.Registry.Tests;

/// <summary>Registering versions: numbering under concurrency, what is stored and read back, and what is refused.</summary>
public sealed class VersionTests(RegistryDatabase registry) : IClassFixture<RegistryDatabase>
{
    private static readonly NewModelVersion Good = RegistryDatabase.TinyVersion();

    private static readonly Dictionary<string, (string Field, NewModelVersion Version)> InvalidVersions = new()
    {
        ["no inputs"] = ("inputs", Good with { Inputs = 0 }),
        ["257 hidden"] = ("inputs", Good with { Hidden = 257 }),
        ["unknown loss"] = ("loss", Good with { Loss = "Hinge" }),
        ["weights one short"] = ("weights", Good with { Weights = new float[16] }),
        ["NaN weight"] = ("weights", Good with { Weights = [.. Good.Weights[..^1], float.NaN] }),
        ["infinite weight"] = ("weights", Good with { Weights = [float.PositiveInfinity, .. Good.Weights[1..]] }),
        ["offsets one short"] = ("preprocessing.offsets", Good with { Preprocessing = new Preprocessing([0f], [1f, 1f]) }),
        ["NaN scale"] = ("preprocessing.scales", Good with { Preprocessing = new Preprocessing([0f, 0f], [1f, float.NaN]) }),
        ["one class for two outputs"] = ("classes", Good with { Classes = ["one"] }),
        ["a class twice"] = ("classes", Good with { Classes = ["same", "same"] }),
        ["an empty class"] = ("classes", Good with { Classes = ["", "yes"] }),
        ["three feature names for two inputs"] = ("featureNames", Good with { FeatureNames = ["x", "y", "z"] }),
        ["NaN metric"] = ("metrics", Good with { Metrics = new Dictionary<string, double> { ["loss"] = double.NaN } }),
        ["unnamed metric"] = ("metrics", Good with { Metrics = new Dictionary<string, double> { [""] = 1 } }),
        ["no technique"] = ("technique", Good with { Lineage = new VersionLineage(null, null, null, null, "") }),
        ["malformed dataset hash"] = ("datasetSha256", Good with { Lineage = new VersionLineage(null, null, "not a hash", null, "registered") }),
        ["parent version 0"] = ("parentVersion", Good with { Lineage = new VersionLineage(null, null, null, 0, "registered") }),
        ["the first version its own parent"] = ("parentVersion", Good with { Lineage = new VersionLineage(null, null, null, 1, "int8") }),
    };

    [Fact]
    public async Task Twenty_concurrent_registrations_are_numbered_one_to_twenty()
    {
        var model = await registry.NewModelAsync("numbered");

        var versions = await Task.WhenAll(Enumerable.Range(0, 20).Select(seed => Task.Run(() => registry.NewVersionAsync(model.Id, seed))));

        Assert.Equal(Enumerable.Range(1, 20), versions.Select(version => version.Version).Order());
        Assert.All(versions, version => Assert.Equal(VersionStatus.Pending, version.Status));
        var stored = await registry.Models.ListVersionsAsync(model.Id, null, 0, 100, CancellationToken.None);
        Assert.Equal(20, stored.Total);
        Assert.Equal(Enumerable.Range(1, 20).Reverse(), stored.Items.Select(version => version.Version));
        Assert.Equal(20, (await registry.Models.FindModelAsync(model.Name, CancellationToken.None))!.LatestVersion);
        Assert.Equal(20, (await registry.AuditRowsAsync(RegistryAudit.VersionCreated, $"models/{model.Name}/")).Count);
    }

    [Fact]
    public async Task A_version_reads_back_as_registered_with_its_weights_bit_exact()
    {
        var model = await registry.NewModelAsync("roundtrip");
        var dataset = await registry.NewDatasetAsync("lineage");
        var jobId = Guid.NewGuid();
        var registered = RegistryDatabase.TinyVersion(3, new VersionLineage(jobId, dataset.Id, null, null, "trained"));

        var created = await registry.Models.CreateVersionAsync(model.Id, registered, "trainer", CancellationToken.None);
        var weights = await registry.Models.LoadWeightsAsync(model.Id, created.Version, CancellationToken.None);

        Assert.Equal(registered.Weights, weights);
        Assert.Equal((2, 3, 2, "CrossEntropy"), (created.Inputs, created.Hidden, created.Outputs, created.Loss));
        Assert.Equal(registered.Preprocessing.Offsets, created.Preprocessing.Offsets);
        Assert.Equal(registered.Preprocessing.Scales, created.Preprocessing.Scales);
        Assert.Equal(registered.Classes, created.Classes);
        Assert.Equal(registered.FeatureNames, created.FeatureNames);
        Assert.Equal(registered.Metrics, created.Metrics);
        Assert.Equal(new VersionLineage(jobId, dataset.Id, dataset.Sha256, null, "trained"), created.Lineage);
        Assert.Equal(("trainer", model.Name, model.Id), (created.CreatedBy, created.ModelName, created.ModelId));
    }

    [Fact]
    public async Task Versions_are_found_by_number_latest_and_alias()
    {
        var model = await registry.NewModelAsync("found");
        await registry.NewVersionAsync(model.Id, 1);
        await registry.NewVersionAsync(model.Id, 2);
        await registry.Models.SetAliasAsync(model.Id, "champion", 1, RegistryDatabase.Actor, CancellationToken.None);

        Assert.Equal(1, (await registry.Models.FindVersionAsync(model.Id, "1", CancellationToken.None))!.Version);
        Assert.Equal(2, (await registry.Models.FindVersionAsync(model.Id, "latest", CancellationToken.None))!.Version);
        var champion = await registry.Models.FindVersionAsync(model.Id, "champion", CancellationToken.None);
        Assert.Equal(1, champion!.Version);
        Assert.Equal(["champion"], champion.Aliases);
        Assert.Null(await registry.Models.FindVersionAsync(model.Id, "3", CancellationToken.None));
        Assert.Null(await registry.Models.FindVersionAsync(model.Id, "canary", CancellationToken.None));
        Assert.Null(await registry.Models.FindVersionAsync(model.Id, "-1", CancellationToken.None));
        Assert.Null(await registry.Models.FindVersionAsync(model.Id, "Not An Alias", CancellationToken.None));
    }

    [Fact]
    public async Task Versions_list_by_status_with_paging()
    {
        var model = await registry.NewModelAsync("paged");
        for (var seed = 0; seed < 5; seed++)
        {
            await registry.NewVersionAsync(model.Id, seed);
        }

        await registry.Models.ChangeStatusAsync(model.Id, 2, VersionStatus.Approved, RegistryDatabase.Actor, null, CancellationToken.None);
        await registry.Models.ChangeStatusAsync(model.Id, 4, VersionStatus.Approved, RegistryDatabase.Actor, null, CancellationToken.None);

        var approved = await registry.Models.ListVersionsAsync(model.Id, VersionStatus.Approved, 0, 10, CancellationToken.None);
        var second = await registry.Models.ListVersionsAsync(model.Id, null, 2, 2, CancellationToken.None);

        Assert.Equal([4, 2], approved.Items.Select(version => version.Version));
        Assert.Equal([3, 2], second.Items.Select(version => version.Version));
        Assert.Equal((5L, 2, 2), (second.Total, second.Offset, second.Limit));
        await Assert.ThrowsAsync<InvalidRegistryInputException>(() => registry.Models.ListVersionsAsync(model.Id, null, 0, 1_001, CancellationToken.None));
    }

    public static TheoryData<string> Invalid() => [.. InvalidVersions.Keys];

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task A_version_that_does_not_hold_together_is_refused_naming_the_field(string why)
    {
        var (field, version) = InvalidVersions[why];
        var model = await registry.NewModelAsync("invalid");

        var refused = await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.Models.CreateVersionAsync(model.Id, version, RegistryDatabase.Actor, CancellationToken.None));

        Assert.Equal(field, refused.ParamName);
        Assert.Contains(field, refused.Message, StringComparison.Ordinal);
        Assert.Null((await registry.Models.FindModelAsync(model.Name, CancellationToken.None))!.LatestVersion);
    }

    [Fact]
    public async Task A_derived_version_names_an_earlier_parent()
    {
        var model = await registry.NewModelAsync("derived");
        await registry.NewVersionAsync(model.Id);

        var derived = await registry.NewVersionAsync(model.Id, 1, new VersionLineage(null, null, null, 1, "int8"));

        Assert.Equal((1, "int8"), (derived.Lineage.ParentVersion, derived.Lineage.Technique));
    }

    [Fact]
    public async Task Lineage_must_name_a_stored_dataset_and_its_own_hash()
    {
        var model = await registry.NewModelAsync("lineage");
        var dataset = await registry.NewDatasetAsync("hashed");

        var missing = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.NewVersionAsync(model.Id, 0, new VersionLineage(null, Guid.NewGuid(), null, null, "trained")));
        var wrongHash = await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.NewVersionAsync(model.Id, 0, new VersionLineage(null, dataset.Id, new string('0', 64), null, "trained")));

        Assert.Equal(RegistryNotFoundException.Dataset, missing.Kind);
        Assert.Equal("datasetSha256", wrongHash.ParamName);
    }

    [Fact]
    public async Task A_version_of_no_model_is_not_found()
    {
        var missing = await Assert.ThrowsAsync<RegistryNotFoundException>(() => registry.NewVersionAsync(Guid.NewGuid()));

        Assert.Equal(RegistryNotFoundException.Model, missing.Kind);
    }
}
