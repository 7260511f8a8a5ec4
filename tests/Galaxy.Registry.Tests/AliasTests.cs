namespace Galaxy.Registry.Tests;

/// <summary>Aliases point at one version each, move in one step, and every set, move and removal is audited.</summary>
public sealed class AliasTests(RegistryDatabase registry) : IClassFixture<RegistryDatabase>
{
    [Fact]
    public async Task An_alias_is_set_moved_and_removed_with_an_audit_row_each()
    {
        var model = await registry.NewModelAsync("aliased");
        await registry.NewVersionAsync(model.Id, 1);
        await registry.NewVersionAsync(model.Id, 2);

        var first = await registry.Models.SetAliasAsync(model.Id, "champion", 1, RegistryDatabase.Actor, CancellationToken.None);
        var moved = await registry.Models.SetAliasAsync(model.Id, "champion", 2, "lead", CancellationToken.None);
        var again = await registry.Models.SetAliasAsync(model.Id, "champion", 2, "lead", CancellationToken.None);
        var aliases = await registry.Models.ListAliasesAsync(model.Id, CancellationToken.None);
        await registry.Models.RemoveAliasAsync(model.Id, "champion", "lead", CancellationToken.None);

        Assert.Equal(["champion"], first.Aliases);
        Assert.Equal(["champion"], moved.Aliases);
        Assert.Equal(2, again.Version);
        Assert.Equal([new ModelAlias("champion", 2, "lead", aliases[0].UpdatedAt)], aliases);
        Assert.Empty((await registry.Models.FindModelAsync(model.Name, CancellationToken.None))!.Aliases);
        Assert.Equal(
            [$"models/{model.Name}/aliases/champion → 1", $"models/{model.Name}/aliases/champion → 2 (was 1)"],
            (await registry.AuditRowsAsync(RegistryAudit.AliasSet, $"models/{model.Name}/")).Select(row => row.Target));
        Assert.Equal(
            [$"models/{model.Name}/aliases/champion removed (was 2)"],
            (await registry.AuditRowsAsync(RegistryAudit.AliasRemoved, $"models/{model.Name}/")).Select(row => row.Target));
    }

    [Fact]
    public async Task Concurrent_moves_leave_one_target_and_a_row_for_each_move()
    {
        var model = await registry.NewModelAsync("contended");
        for (var seed = 0; seed < 8; seed++)
        {
            await registry.NewVersionAsync(model.Id, seed);
        }

        await Task.WhenAll(Enumerable.Range(1, 8).Select(version => Task.Run(() =>
            registry.Models.SetAliasAsync(model.Id, "canary", version, $"mover{version}", CancellationToken.None))));

        var info = await registry.Models.FindModelAsync(model.Name, CancellationToken.None);
        var rows = await registry.AuditRowsAsync(RegistryAudit.AliasSet, $"models/{model.Name}/");
        Assert.Single(info!.Aliases);
        Assert.Equal(8, rows.Count);
        // Each move names the version the one before it set: the moves happened one at a time.
        var targets = rows.Select(row => int.Parse(row.Target.Split(" → ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.EndsWith("→ " + targets[0], rows[0].Target, StringComparison.Ordinal);
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.EndsWith($"(was {targets[i - 1]})", rows[i].Target, StringComparison.Ordinal);
        }

        Assert.Equal(targets[^1], info.Aliases["canary"]);
        Assert.Equal(Enumerable.Range(1, 8), targets.Order());
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("Champion")]
    [InlineData("1st")]
    [InlineData("")]
    [InlineData("a-very-long-alias-of-thirty-three")]
    [InlineData("champion\n")]
    public async Task Reserved_and_malformed_aliases_are_refused(string alias)
    {
        var model = await registry.NewModelAsync("names");
        await registry.NewVersionAsync(model.Id);

        await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.Models.SetAliasAsync(model.Id, alias, 1, RegistryDatabase.Actor, CancellationToken.None));
    }

    [Fact]
    public async Task An_alias_needs_an_existing_version_and_removal_an_existing_alias()
    {
        var model = await registry.NewModelAsync("dangling");
        await registry.NewVersionAsync(model.Id);

        var noVersion = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.SetAliasAsync(model.Id, "champion", 2, RegistryDatabase.Actor, CancellationToken.None));
        var noAlias = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.RemoveAliasAsync(model.Id, "champion", RegistryDatabase.Actor, CancellationToken.None));
        var noModel = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.SetAliasAsync(Guid.NewGuid(), "champion", 1, RegistryDatabase.Actor, CancellationToken.None));

        Assert.Equal(
            (RegistryNotFoundException.Version, RegistryNotFoundException.Alias, RegistryNotFoundException.Model),
            (noVersion.Kind, noAlias.Kind, noModel.Kind));
        Assert.Empty(await registry.AuditRowsAsync(RegistryAudit.AliasSet, $"models/{model.Name}/"));
    }
}
