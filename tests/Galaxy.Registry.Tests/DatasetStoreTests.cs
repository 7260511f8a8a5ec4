using System.Security.Cryptography;
using Galaxy.Testing.Processes;

namespace Galaxy.Registry.Tests;

/// <summary>Datasets stored and read back exactly, once per content, and kept while anything refers to them.</summary>
public sealed class DatasetStoreTests(RegistryDatabase registry) : IClassFixture<RegistryDatabase>
{
    private static readonly string DigitsFile = Path.Combine(RepositoryBuild.Root, "datasets", "optdigits-train.csv");

    [Fact]
    public async Task The_digits_file_round_trips_bit_exact_with_its_hash_and_class_counts()
    {
        var parsed = await ParseDigitsAsync();
        var name = registry.UniqueName("digits");

        var stored = await registry.Datasets.RegisterAsync(name, parsed.Table, parsed.Bytes, RegistryDatabase.Actor, CancellationToken.None);
        var loaded = await registry.Datasets.LoadAsync(stored.Id, CancellationToken.None);

        var bytes = await File.ReadAllBytesAsync(DigitsFile);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(bytes.Length, stored.Bytes);
        Assert.Equal((3_823, 64, "digit"), (stored.Rows, stored.FeatureNames.Length, stored.LabelColumn));
        Assert.Equal(Enumerable.Range(0, 10).Select(digit => $"{digit}"), stored.ClassCounts.Keys);
        Assert.Equal(3_823, stored.ClassCounts.Values.Sum());
        Assert.Equal(parsed.Table.Labels.Count(label => label == "7"), stored.ClassCounts["7"]);
        Assert.Equal(parsed.Table.Features, loaded!.Features);
        Assert.Equal(parsed.Table.Labels, loaded.Labels);
        Assert.Equal((stored.Id, name, stored.Sha256), (loaded.Id, loaded.Name, loaded.Sha256));
        Assert.Equal([0f, 1f, 6f, 15f, 12f, 1f], loaded.Features[..6]);
        Assert.Equal(stored.Id, (await registry.Datasets.FindAsync(name, CancellationToken.None))!.Id);
        Assert.Equal(name, (await registry.Datasets.FindAsync(stored.Id.ToString(), CancellationToken.None))!.Name);
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.DatasetRegistered, $"datasets/{name} "));
    }

    [Fact]
    public async Task The_same_content_again_is_the_stored_dataset_under_any_name()
    {
        var (table, bytes) = await RegistryDatabase.ParseAsync("a,label\n1,x\n2,y\n");
        var name = registry.UniqueName("first");

        var first = await registry.Datasets.RegisterOrReuseAsync(name, table, bytes, RegistryDatabase.Actor, CancellationToken.None);
        var again = await registry.Datasets.RegisterOrReuseAsync(name, table, bytes, RegistryDatabase.Actor, CancellationToken.None);
        var renamed = await registry.Datasets.RegisterOrReuseAsync(registry.UniqueName("second"), table, bytes, RegistryDatabase.Actor, CancellationToken.None);

        Assert.True(first.IsNew);
        Assert.False(again.IsNew);
        Assert.False(renamed.IsNew);
        Assert.Equal([first.Dataset.Id], new[] { again.Dataset.Id, renamed.Dataset.Id }.Distinct());
        Assert.Equal(name, renamed.Dataset.Name);
        Assert.Single(await registry.AuditRowsAsync(RegistryAudit.DatasetRegistered, $"datasets/{name} "));
    }

    [Fact]
    public async Task A_name_taken_by_other_content_is_a_conflict()
    {
        var name = registry.UniqueName("taken");
        var (one, oneBytes) = await RegistryDatabase.ParseAsync("a,label\n1,x\n");
        var (other, otherBytes) = await RegistryDatabase.ParseAsync("a,label\n2,x\n");
        await registry.Datasets.RegisterAsync(name, one, oneBytes, RegistryDatabase.Actor, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<DatasetConflictException>(() =>
            registry.Datasets.RegisterAsync(name, other, otherBytes, RegistryDatabase.Actor, CancellationToken.None));

        Assert.Equal(name, conflict.Name);
    }

    [Fact]
    public async Task A_dataset_is_kept_while_a_version_or_an_evaluation_refers_to_it_then_deleted()
    {
        var trainedOn = await registry.NewDatasetAsync("trained-on");
        var evaluatedOn = await registry.NewDatasetAsync("evaluated-on");
        var model = await registry.NewModelAsync("refers");
        await registry.NewVersionAsync(model.Id, 0, new VersionLineage(null, trainedOn.Id, null, null, "trained"));
        await registry.Models.RecordEvaluationAsync(model.Id, 1, evaluatedOn.Id, 0.5, "{}", RegistryDatabase.Actor, CancellationToken.None);
        var unused = await registry.NewDatasetAsync("unused");

        var byVersion = await Assert.ThrowsAsync<DatasetInUseException>(() =>
            registry.Datasets.DeleteAsync(trainedOn.Id, RegistryDatabase.Actor, CancellationToken.None));
        var byEvaluation = await Assert.ThrowsAsync<DatasetInUseException>(() =>
            registry.Datasets.DeleteAsync(evaluatedOn.Id, RegistryDatabase.Actor, CancellationToken.None));
        await registry.Datasets.DeleteAsync(unused.Id, "deleter", CancellationToken.None);

        Assert.Contains($"version 1 of '{model.Name}'", byVersion.Message, StringComparison.Ordinal);
        Assert.Contains("evaluations", byEvaluation.Message, StringComparison.Ordinal);
        Assert.NotNull(await registry.Datasets.FindAsync(trainedOn.Name, CancellationToken.None));
        Assert.Null(await registry.Datasets.FindAsync(unused.Name, CancellationToken.None));
        Assert.Equal("deleter", Assert.Single(await registry.AuditRowsAsync(RegistryAudit.DatasetDeleted, $"datasets/{unused.Name}")).Principal);
        Assert.Empty(await registry.AuditRowsAsync(RegistryAudit.DatasetDeleted, $"datasets/{trainedOn.Name}"));
        await Assert.ThrowsAsync<RegistryNotFoundException>(() => registry.Datasets.DeleteAsync(unused.Id, RegistryDatabase.Actor, CancellationToken.None));
    }

    [Fact]
    public async Task Datasets_list_newest_first_in_pages()
    {
        var made = new List<DatasetInfo>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await registry.NewDatasetAsync("listed"));
        }

        var page = await registry.Datasets.ListAsync(0, 2, CancellationToken.None);
        var everything = await registry.Datasets.ListAsync(0, 1_000, CancellationToken.None);

        Assert.Equal(2, page.Items.Count);
        Assert.True(page.Total >= 3);
        var order = everything.Items.Select(dataset => dataset.Id).ToList();
        Assert.True(order.IndexOf(made[2].Id) < order.IndexOf(made[1].Id) && order.IndexOf(made[1].Id) < order.IndexOf(made[0].Id));
    }

    private static async Task<(DatasetTable Table, long Bytes)> ParseDigitsAsync()
    {
        await using var file = File.OpenRead(DigitsFile);
        return await CsvDataset.ReadAsync(file, "digit", 64 << 20, CancellationToken.None);
    }
}
