namespace Galaxy.Registry.Tests;

/// <summary>
/// Every registry change appends its row to the audit chain in its own transaction: the actor, the action, a readable
/// target, outcome 0 and a digest; a refused change appends nothing; and the chain verifies.
/// </summary>
public sealed class AuditTests(RegistryDatabase registry) : IClassFixture<RegistryDatabase>
{
    [Fact]
    public async Task Every_kind_of_change_leaves_its_row_and_the_chain_verifies()
    {
        var models = registry.Models;
        var none = CancellationToken.None;
        var dataset = await registry.NewDatasetAsync("audited-data");
        var spare = await registry.NewDatasetAsync("audited-spare");
        var model = await models.CreateModelAsync(registry.UniqueName("audited"), "", new Dictionary<string, string>(), "alice", none);
        await models.UpdateModelAsync(model.Id, "described", null, "alice", none);
        await models.CreateVersionAsync(model.Id, RegistryDatabase.TinyVersion(0, new VersionLineage(null, dataset.Id, null, null, "trained")), "bob", none);
        await models.ChangeStatusAsync(model.Id, 1, VersionStatus.Approved, "carol", "good enough", none);
        await models.SetAliasAsync(model.Id, "champion", 1, "carol", none);
        await models.RecordEvaluationAsync(model.Id, 1, dataset.Id, 0.975, """{"perClass":[]}""", "bob", none);
        await models.RemoveAliasAsync(model.Id, "champion", "carol", none);
        await registry.Datasets.DeleteAsync(spare.Id, "carol", none);

        var m = $"models/{model.Name}";
        var expected = new (string Action, string Target, string Principal)[]
        {
            (RegistryAudit.DatasetRegistered, $"datasets/{dataset.Name} (2 rows × 2 features)", RegistryDatabase.Actor),
            (RegistryAudit.ModelCreated, m, "alice"),
            (RegistryAudit.ModelUpdated, $"{m} (description)", "alice"),
            (RegistryAudit.VersionCreated, $"{m}/versions/1 (2-3-2 CrossEntropy, trained)", "bob"),
            (RegistryAudit.VersionStatusChanged, $"{m}/versions/1 PENDING→APPROVED: good enough", "carol"),
            (RegistryAudit.AliasSet, $"{m}/aliases/champion → 1", "carol"),
            (RegistryAudit.VersionEvaluated, $"{m}/versions/1 on datasets/{dataset.Name}: accuracy 0.975", "bob"),
            (RegistryAudit.AliasRemoved, $"{m}/aliases/champion removed (was 1)", "carol"),
            (RegistryAudit.DatasetDeleted, $"datasets/{spare.Name}", "carol"),
        };
        foreach (var (action, target, principal) in expected)
        {
            var row = Assert.Single(await registry.AuditRowsAsync(action, target), row => row.Target == target);
            Assert.Equal((principal, 0), (row.Principal, row.Outcome));
            Assert.Matches("^[0-9a-f]{64}$", row.RequestDigest);
        }

        Assert.Null(await registry.AuditChainFaultAsync());
    }

    [Fact]
    public async Task A_refused_change_leaves_no_row()
    {
        var model = await registry.NewModelAsync("refused");
        await registry.NewVersionAsync(model.Id);
        await registry.Models.ChangeStatusAsync(model.Id, 1, VersionStatus.Retired, RegistryDatabase.Actor, null, CancellationToken.None);

        await Assert.ThrowsAsync<IllegalTransitionException>(() =>
            registry.Models.ChangeStatusAsync(model.Id, 1, VersionStatus.Approved, RegistryDatabase.Actor, null, CancellationToken.None));
        await Assert.ThrowsAsync<ModelConflictException>(() =>
            registry.Models.CreateModelAsync(model.Name, "", new Dictionary<string, string>(), RegistryDatabase.Actor, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.Models.CreateVersionAsync(model.Id, RegistryDatabase.TinyVersion() with { Loss = "none" }, RegistryDatabase.Actor, CancellationToken.None));

        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.VersionStatusChanged, $"models/{model.Name}/"));
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.ModelCreated, $"models/{model.Name}"));
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.VersionCreated, $"models/{model.Name}/"));
    }

    [Fact]
    public async Task Evaluations_are_recorded_on_their_version_newest_first()
    {
        var dataset = await registry.NewDatasetAsync("evaluation");
        var model = await registry.NewModelAsync("evaluated");
        await registry.NewVersionAsync(model.Id);

        await registry.Models.RecordEvaluationAsync(model.Id, 1, dataset.Id, 0.5, """{"confusion":[[1,0],[1,0]]}""", "bob", CancellationToken.None);
        var second = await registry.Models.RecordEvaluationAsync(model.Id, 1, dataset.Id, 1, """{"confusion":[[1,0],[0,1]]}""", "bob", CancellationToken.None);
        var listed = await registry.Models.ListEvaluationsAsync(model.Id, 1, CancellationToken.None);

        Assert.Equal([1.0, 0.5], listed.Select(evaluation => evaluation.Accuracy));
        Assert.Equal(second, listed[0]);
        Assert.Equal((dataset.Id, dataset.Name, "bob"), (second.DatasetId, second.DatasetName, second.EvaluatedBy));
        Assert.Contains("\"confusion\"", second.ReportJson, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.Models.RecordEvaluationAsync(model.Id, 1, dataset.Id, 1.5, "{}", "bob", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidRegistryInputException>(() =>
            registry.Models.RecordEvaluationAsync(model.Id, 1, dataset.Id, 0.5, "[1]", "bob", CancellationToken.None));
        await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.RecordEvaluationAsync(model.Id, 2, dataset.Id, 0.5, "{}", "bob", CancellationToken.None));
        await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            registry.Models.RecordEvaluationAsync(model.Id, 1, Guid.NewGuid(), 0.5, "{}", "bob", CancellationToken.None));
    }
}
