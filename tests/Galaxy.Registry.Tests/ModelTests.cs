namespace Galaxy.Registry.Tests;

/// <summary>Models: unique names, get-or-create, updates, and search by name, tag and status with paging.</summary>
public sealed class ModelTests(RegistryDatabase registry) : IClassFixture<RegistryDatabase>
{
    [Fact]
    public async Task A_model_is_created_once_per_name()
    {
        var name = registry.UniqueName("unique");
        var tags = new Dictionary<string, string> { ["team"] = "vision", ["stage"] = "dev" };

        var created = await registry.Models.CreateModelAsync(name, "digits, 8×8", tags, "creator", CancellationToken.None);
        var conflict = await Assert.ThrowsAsync<ModelConflictException>(() =>
            registry.Models.CreateModelAsync(name, "", new Dictionary<string, string>(), RegistryDatabase.Actor, CancellationToken.None));

        Assert.Equal((name, "digits, 8×8", "creator"), (created.Name, created.Description, created.CreatedBy));
        Assert.Equal(tags, created.Tags);
        Assert.Null(created.LatestVersion);
        Assert.Null(created.LatestStatus);
        Assert.Equal(name, conflict.Name);
        var found = await registry.Models.FindModelAsync(created.Id.ToString(), CancellationToken.None);
        Assert.Equal((created.Name, created.CreatedAt), (found!.Name, found.CreatedAt));
        Assert.Equal(tags, found.Tags);
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.ModelCreated, $"models/{name}"));
    }

    [Fact]
    public async Task Get_or_create_creates_once()
    {
        var name = registry.UniqueName("trained");

        var models = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() =>
            registry.Models.GetOrCreateModelAsync(name, RegistryDatabase.Actor, CancellationToken.None))));

        Assert.Single(models.Select(model => model.Id).Distinct());
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.ModelCreated, $"models/{name}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Digits")]
    [InlineData("-digits")]
    [InlineData("digits model")]
    [InlineData("digits\n")]
    [InlineData("a-name-of-sixty-four-characters-is-one-more-than-a-name-may-have")]
    public async Task Malformed_names_are_refused(string name)
    {
        var refused = await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.Models.CreateModelAsync(name, "", new Dictionary<string, string>(), RegistryDatabase.Actor, CancellationToken.None));

        Assert.Equal("name", refused.ParamName);
    }

    [Fact]
    public async Task An_update_sets_what_it_names_and_is_audited()
    {
        var model = await registry.NewModelAsync("updated");

        var described = await registry.Models.UpdateModelAsync(model.Id, "now described", null, RegistryDatabase.Actor, CancellationToken.None);
        var tagged = await registry.Models.UpdateModelAsync(
            model.Id, null, new Dictionary<string, string> { ["owner"] = "ml" }, RegistryDatabase.Actor, CancellationToken.None);
        var unchanged = await registry.Models.UpdateModelAsync(model.Id, null, null, RegistryDatabase.Actor, CancellationToken.None);

        Assert.Equal("now described", described.Description);
        Assert.Equal(("now described", "ml"), (tagged.Description, tagged.Tags["owner"]));
        Assert.Equal((tagged.Description, tagged.UpdatedAt), (unchanged.Description, unchanged.UpdatedAt));
        Assert.Equal(tagged.Tags, unchanged.Tags);
        Assert.True(tagged.UpdatedAt >= model.UpdatedAt);
        Assert.Equal(
            [$"models/{model.Name} (description)", $"models/{model.Name} (tags)"],
            (await registry.AuditRowsAsync(RegistryAudit.ModelUpdated, $"models/{model.Name}")).Select(row => row.Target));
        await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.UpdateModelAsync(Guid.NewGuid(), "x", null, RegistryDatabase.Actor, CancellationToken.None));
    }

    [Fact]
    public async Task Search_filters_by_name_tag_and_latest_status_ordered_by_name_with_paging()
    {
        var prefix = registry.UniqueName("search");
        var tags = new[] { "vision", "speech", "vision", "vision" };
        var models = new List<ModelInfo>();
        for (var i = 0; i < tags.Length; i++)
        {
            models.Add(await registry.Models.CreateModelAsync(
                $"{prefix}-{(char)('d' - i)}", "", new Dictionary<string, string> { ["team"] = tags[i], ["n"] = $"{i}" },
                RegistryDatabase.Actor, CancellationToken.None));
        }

        await registry.NewVersionAsync(models[0].Id);
        await registry.NewVersionAsync(models[2].Id);
        await registry.Models.ChangeStatusAsync(models[2].Id, 1, VersionStatus.Approved, RegistryDatabase.Actor, null, CancellationToken.None);

        var byName = await Search(new ModelQuery(prefix.ToUpperInvariant()));
        var vision = await Search(new ModelQuery(prefix, new Dictionary<string, string> { ["team"] = "vision" }));
        var visionTwo = await Search(new ModelQuery(prefix, new Dictionary<string, string> { ["team"] = "vision", ["n"] = "2" }));
        var pending = await Search(new ModelQuery(prefix, LatestStatus: VersionStatus.Pending));
        var secondPage = await Search(new ModelQuery(prefix, Offset: 1, Limit: 2));

        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c", $"{prefix}-d"], byName.Items.Select(model => model.Name));
        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-d"], vision.Items.Select(model => model.Name));
        Assert.Equal([$"{prefix}-b"], visionTwo.Items.Select(model => model.Name));
        Assert.Equal([$"{prefix}-d"], pending.Items.Select(model => model.Name));
        Assert.Equal((1, VersionStatus.Approved), (visionTwo.Items[0].LatestVersion, visionTwo.Items[0].LatestStatus));
        Assert.Equal([$"{prefix}-b", $"{prefix}-c"], secondPage.Items.Select(model => model.Name));
        Assert.Equal(4, secondPage.Total);
        await Assert.ThrowsAsync<InvalidRegistryInputException>(() => Search(new ModelQuery(Offset: -1)));
    }

    private Task<Page<ModelInfo>> Search(ModelQuery query) => registry.Models.SearchModelsAsync(query, CancellationToken.None);
}
