using System.Security.Cryptography;
using System.Text;
using Galaxy.Registry.Protection;
using Galaxy.Registry.Training;
using Npgsql;

namespace Galaxy.Registry.Tests;

/// <summary>
/// Datasets and weights sealed at rest (AES-256-GCM under per-record data keys wrapped by a key-encryption key): what
/// the database holds is unreadable and useless without the key, bound to its row, and survives rotating the
/// key-encryption key, which rewraps data keys without re-encrypting data; plaintext from before is sealed later.
/// </summary>
public sealed class DataProtectionTests : IAsyncLifetime
{
    private const string Csv = "height,weight,label\n1.5,2.25,alpha-secret\n3.5,4.75,beta-secret\n5.5,6.125,alpha-secret\n";

    private static readonly LocalKeyEncryptionKey First = new("kek-1", RandomNumberGenerator.GetBytes(32));
    private static readonly LocalKeyEncryptionKey Second = new("kek-2", RandomNumberGenerator.GetBytes(32));

    private readonly TestDatabase _database = new();
    private NpgsqlDataSource _source = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _source = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Sealed_columns_are_unreadable_without_the_key_and_open_with_it()
    {
        var protector = new DataProtector([First], null);
        var (dataset, version) = await StoreAsync(protector, "sealed");

        var raw = await RawAsync(dataset.Id);
        var plainFeatures = Float32Bytes.ToBytes([1.5f, 2.25f, 3.5f, 4.75f, 5.5f, 6.125f]);
        Assert.True(dataset.Encrypted);
        Assert.Equal(plainFeatures.Length + AesGcmSeal.Overhead, raw.Features.Length);
        Assert.False(raw.Features.AsSpan().IndexOf(plainFeatures.AsSpan(0, 8)) >= 0);
        Assert.Empty(raw.Labels);
        Assert.DoesNotContain("alpha-secret", Encoding.UTF8.GetString(raw.SealedLabels));
        Assert.NotEqual(Float32Bytes.ToBytes(RegistryDatabase.TinyVersion().Weights), await RawWeightsAsync(version.ModelId));

        var opened = await new DatasetStore(_source, TimeProvider.System, protector).LoadAsync(dataset.Id, CancellationToken.None);
        Assert.Equal([1.5f, 2.25f, 3.5f, 4.75f, 5.5f, 6.125f], opened!.Features);
        Assert.Equal(["alpha-secret", "beta-secret", "alpha-secret"], opened.Labels);
        Assert.Equal(RegistryDatabase.TinyVersion().Weights, await new ModelRegistry(_source, TimeProvider.System, protector)
            .LoadWeightsAsync(version.ModelId, 1, CancellationToken.None));

        await Assert.ThrowsAsync<CryptographicException>(() => new DatasetStore(_source, TimeProvider.System).LoadAsync(dataset.Id, CancellationToken.None));
        var impostor = new DataProtector([new LocalKeyEncryptionKey("kek-1", RandomNumberGenerator.GetBytes(32))], null);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => new ModelRegistry(_source, TimeProvider.System, impostor)
            .LoadWeightsAsync(version.ModelId, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_sealed_value_moved_to_another_row_does_not_open()
    {
        var protector = new DataProtector([First], null);
        var (first, _) = await StoreAsync(protector, "first");
        var (second, _) = await StoreAsync(new DataProtector([First], null), "second", "height,weight,label\n9,9,x\n8,8,y\n7,7,x\n");

        await using (var swap = _source.CreateCommand(
            "UPDATE galaxy_datasets SET features = f.features, data_key_id = f.data_key_id FROM galaxy_datasets f WHERE f.id = $1 AND galaxy_datasets.id = $2"))
        {
            swap.Parameters.Add(new NpgsqlParameter { Value = first.Id });
            swap.Parameters.Add(new NpgsqlParameter { Value = second.Id });
            await swap.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAnyAsync<CryptographicException>(() =>
            new DatasetStore(_source, TimeProvider.System, new DataProtector([First], null)).LoadAsync(second.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Rotating_the_key_encryption_key_rewraps_every_data_key_and_the_old_key_can_then_go()
    {
        var (dataset, version) = await StoreAsync(new DataProtector([First], null), "rotated");
        var during = new DataProtector([First, Second], "kek-2");
        var (later, _) = await StoreAsync(during, "during", "height,weight,label\n1,1,x\n2,2,y\n");

        var rewrapped = await during.RewrapAsync(_source, TimeProvider.System, CancellationToken.None);

        Assert.Equal(2, rewrapped);
        Assert.Equal(["kek-2"], (await _database.ScalarAsync<string[]>("SELECT array_agg(DISTINCT kek_id) FROM galaxy_data_keys"))!);
        var afterwards = new DataProtector([Second], null);
        Assert.Equal(3, (await new DatasetStore(_source, TimeProvider.System, afterwards).LoadAsync(dataset.Id, CancellationToken.None))!.Rows);
        Assert.Equal(2, (await new DatasetStore(_source, TimeProvider.System, afterwards).LoadAsync(later.Id, CancellationToken.None))!.Rows);
        Assert.Equal(17, (await new ModelRegistry(_source, TimeProvider.System, afterwards).LoadWeightsAsync(version.ModelId, 1, CancellationToken.None)).Length);
        await Assert.ThrowsAsync<CryptographicException>(() =>
            new DatasetStore(_source, TimeProvider.System, new DataProtector([First], null)).LoadAsync(dataset.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Plaintext_stored_before_encryption_was_configured_is_sealed_in_place()
    {
        var (dataset, version) = await StoreAsync(null, "plain");
        Assert.False(dataset.Encrypted);
        var protector = new DataProtector([First], null);

        var datasets = await new DatasetStore(_source, TimeProvider.System, protector).SealStoredAsync(CancellationToken.None);
        var versions = await new ModelRegistry(_source, TimeProvider.System, protector).SealStoredAsync(CancellationToken.None);

        Assert.Equal((1, 1), (datasets, versions));
        Assert.Empty((await RawAsync(dataset.Id)).Labels);
        Assert.Equal(["alpha-secret", "beta-secret", "alpha-secret"],
            (await new DatasetStore(_source, TimeProvider.System, protector).LoadAsync(dataset.Id, CancellationToken.None))!.Labels);
        Assert.Equal(RegistryDatabase.TinyVersion().Weights,
            await new ModelRegistry(_source, TimeProvider.System, protector).LoadWeightsAsync(version.ModelId, 1, CancellationToken.None));
    }

    [Fact]
    public async Task A_training_checkpoint_is_sealed_under_its_job_and_opens_only_with_the_key()
    {
        var protector = new DataProtector([First], null);
        var (dataset, version) = await StoreAsync(protector, "checkpointed");
        var store = new TrainingJobStore(_source, TimeProvider.System, protector);
        var job = Guid.NewGuid();
        await store.PublishAsync(new TrainingJobRow(
            job, version.ModelId, "checkpointed", dataset.Id, "RUNNING", "tester", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null,
            0.5, 1, 2, 1, null, null, 0, 0, null), "{}", CancellationToken.None);
        float[] parameters = [0.25f, -1.5f, 3.75f, 8.125f];

        await store.SaveCheckpointAsync(job, 1, parameters, CancellationToken.None);
        var firstKey = await _database.ScalarAsync<Guid>("SELECT data_key_id FROM galaxy_training_checkpoints WHERE job_id = $1", job);
        await store.SaveCheckpointAsync(job, 2, parameters, CancellationToken.None);

        var raw = (await _database.ScalarAsync<byte[]>("SELECT parameters FROM galaxy_training_checkpoints WHERE job_id = $1", job))!;
        Assert.Equal(Float32Bytes.ToBytes(parameters).Length + AesGcmSeal.Overhead, raw.Length);
        Assert.False(raw.AsSpan().IndexOf(Float32Bytes.ToBytes(parameters).AsSpan(0, 8)) >= 0);
        Assert.Equal(firstKey, await _database.ScalarAsync<Guid>("SELECT data_key_id FROM galaxy_training_checkpoints WHERE job_id = $1", job));
        var loaded = await store.LoadCheckpointAsync(job, CancellationToken.None);
        Assert.Equal(2, loaded!.Value.EpochsDone);
        Assert.Equal(parameters, loaded.Value.Parameters);
        await Assert.ThrowsAsync<CryptographicException>(() => new TrainingJobStore(_source, TimeProvider.System).LoadCheckpointAsync(job, CancellationToken.None));
    }

    private async Task<(DatasetInfo Dataset, ModelVersion Version)> StoreAsync(DataProtector? protector, string name, string csv = Csv)
    {
        var (table, bytes) = await RegistryDatabase.ParseAsync(csv);
        var dataset = await new DatasetStore(_source, TimeProvider.System, protector).RegisterAsync(name, table, bytes, "tester", CancellationToken.None);
        var registry = new ModelRegistry(_source, TimeProvider.System, protector);
        var model = await registry.CreateModelAsync(name, "", new Dictionary<string, string>(), "tester", CancellationToken.None);
        var version = await registry.CreateVersionAsync(model.Id, RegistryDatabase.TinyVersion(), "tester", CancellationToken.None);
        return (dataset, version);
    }

    private async Task<(byte[] Features, string[] Labels, byte[] SealedLabels)> RawAsync(Guid id)
    {
        await using var command = _source.CreateCommand("SELECT features, labels, labels_sealed FROM galaxy_datasets WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<byte[]>(2));
    }

    private async Task<byte[]> RawWeightsAsync(Guid modelId) =>
        (await _database.ScalarAsync<byte[]>("SELECT weights FROM galaxy_model_versions WHERE model_id = $1", modelId))!;
}
