using System.Text.Json;
using Galaxy.Registry.Protection;
using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry;

/// <summary>
/// Datasets in PostgreSQL (<c>galaxy_datasets</c>, schema 0007): stored once per content (SHA-256 of the uploaded
/// bytes), listed and described without their rows, loaded whole for training and evaluation, deleted only while
/// nothing refers to them. Registering and deleting append their audit rows in the same transaction. With a
/// <see cref="DataProtector"/> that has a key, features and labels are stored sealed under a data key of their own.
/// </summary>
public sealed class DatasetStore(NpgsqlDataSource database, TimeProvider time, DataProtector? protector = null)
{
    /// <summary>Stores a parsed upload under <paramref name="name"/> (the table's own id and name are ignored).</summary>
    /// <exception cref="DatasetConflictException">Another dataset has this name and other content.</exception>
    public async Task<DatasetInfo> RegisterAsync(string name, DatasetTable parsed, long bytes, string actor, CancellationToken cancellationToken) =>
        (await RegisterOrReuseAsync(name, parsed, bytes, actor, cancellationToken)).Dataset;

    /// <summary>
    /// As <see cref="RegisterAsync"/>, and says whether the dataset is new: content already stored (under any name) is
    /// that dataset, returned as it is, and nothing is written.
    /// </summary>
    public Task<DatasetRegistration> RegisterOrReuseAsync(
        string name, DatasetTable parsed, long bytes, string actor, CancellationToken cancellationToken)
    {
        RegistryNames.EnsureName(name, "name");
        RegistryChecks.Actor(actor);
        ArgumentNullException.ThrowIfNull(parsed);
        if (parsed.Rows < 1 || parsed.Labels.Length != parsed.Rows || parsed.Features.Length != parsed.Rows * parsed.FeatureNames.Length
            || parsed.Sha256 is not { Length: 64 } sha256 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("The table's rows, labels and features do not agree, or it has no SHA-256.", nameof(parsed));
        }

        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var id = Guid.CreateVersion7();
            if (!await InsertAsync(connection, transaction, id, name, parsed, bytes, actor, cancellationToken))
            {
                var stored = await ReadFirstAsync(
                    connection, transaction, $"SELECT {RegistryRows.DatasetColumns} FROM galaxy_datasets WHERE sha256 = $1",
                    RegistryRows.Dataset, cancellationToken, parsed.Sha256);
                return new DatasetRegistration(stored!, false);
            }

            await RegistryAudit.AppendAsync(
                connection, transaction, time, actor, RegistryAudit.DatasetRegistered,
                $"datasets/{name} ({parsed.Rows} rows × {parsed.FeatureNames.Length} features)",
                new { name, parsed.Sha256, parsed.LabelColumn, parsed.FeatureNames, parsed.Rows, bytes }, cancellationToken);
            var dataset = await ReadFirstAsync(
                connection, transaction, $"SELECT {RegistryRows.DatasetColumns} FROM galaxy_datasets WHERE id = $1",
                RegistryRows.Dataset, cancellationToken, id);
            return new DatasetRegistration(dataset!, true);
        }, cancellationToken);
    }

    /// <summary>A dataset by its id or its name; null when there is none.</summary>
    public async Task<DatasetInfo?> FindAsync(string idOrName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return Guid.TryParse(idOrName, out var id)
            ? await ReadFirstAsync(connection, null, $"SELECT {RegistryRows.DatasetColumns} FROM galaxy_datasets WHERE id = $1",
                RegistryRows.Dataset, cancellationToken, id)
            : await ReadFirstAsync(connection, null, $"SELECT {RegistryRows.DatasetColumns} FROM galaxy_datasets WHERE name = $1",
                RegistryRows.Dataset, cancellationToken, idOrName);
    }

    /// <summary>Every row of a dataset, opened if it is sealed; null when there is none.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">It is sealed and cannot be opened with the configured keys.</exception>
    public async Task<DatasetTable?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var stored = await ReadFirstAsync(
            connection, null,
            "SELECT id, name, sha256, label_column, feature_names, rows, features, labels, data_key_id, labels_sealed FROM galaxy_datasets WHERE id = $1",
            row => (Table: new DatasetTable(
                row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetFieldValue<string[]>(4), row.GetInt32(5),
                [], row.GetFieldValue<string[]>(7)),
                Features: row.GetFieldValue<byte[]>(6), DataKey: row.IsDBNull(8) ? (Guid?)null : row.GetGuid(8),
                SealedLabels: row.IsDBNull(9) ? null : row.GetFieldValue<byte[]>(9)),
            cancellationToken, id);
        if (stored.Table is null)
        {
            return null;
        }

        if (stored.DataKey is not { } dataKey)
        {
            return stored.Table with { Features = Float32Bytes.FromBytes(stored.Features) };
        }

        var opener = protector ?? throw new System.Security.Cryptography.CryptographicException($"Dataset {id} is sealed and no key-encryption key is configured.");
        var features = await opener.OpenAsync(connection, dataKey, stored.Features, FeaturesContext(id), cancellationToken);
        var labels = await opener.OpenAsync(connection, dataKey, stored.SealedLabels!, LabelsContext(id), cancellationToken);
        return stored.Table with { Features = Float32Bytes.FromBytes(features), Labels = JsonSerializer.Deserialize<string[]>(labels)! };
    }

    /// <summary>
    /// Seals datasets stored in plaintext (before a key-encryption key was configured), one per transaction; returns how
    /// many it sealed. The registry keeps serving meanwhile.
    /// </summary>
    public async Task<int> SealStoredAsync(CancellationToken cancellationToken)
    {
        if (protector is not { Enabled: true } sealer)
        {
            throw new InvalidOperationException("No key-encryption key is configured.");
        }

        var sealedCount = 0;
        while (true)
        {
            var done = await database.InTransactionAsync(async (connection, transaction) =>
            {
                var found = await ReadFirstAsync<(Guid Id, byte[] Features, string[] Labels)?>(connection, transaction,
                    "SELECT id, features, labels FROM galaxy_datasets WHERE data_key_id IS NULL LIMIT 1 FOR UPDATE SKIP LOCKED",
                    row => (row.GetGuid(0), row.GetFieldValue<byte[]>(1), row.GetFieldValue<string[]>(2)), cancellationToken);
                if (found is not { } plain)
                {
                    return true;
                }

                var dataKey = await sealer.NewDataKeyAsync(connection, transaction, time.GetUtcNow(), cancellationToken);
                await using var update = Command(connection, transaction,
                    "UPDATE galaxy_datasets SET data_key_id = $2, features = $3, labels = '{}', labels_sealed = $4 WHERE id = $1",
                    plain.Id, dataKey, await sealer.SealAsync(connection, dataKey, plain.Features, FeaturesContext(plain.Id), cancellationToken),
                    await sealer.SealAsync(connection, dataKey, JsonSerializer.SerializeToUtf8Bytes(plain.Labels), LabelsContext(plain.Id), cancellationToken));
                await update.ExecuteNonQueryAsync(cancellationToken);
                return false;
            }, cancellationToken);
            if (done)
            {
                return sealedCount;
            }

            sealedCount++;
        }
    }

    /// <summary>Datasets, newest first.</summary>
    public Task<Page<DatasetInfo>> ListAsync(int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(database, RegistryRows.DatasetColumns, "galaxy_datasets", "true", "created_at DESC, id DESC", [],
            offset, limit, RegistryRows.Dataset, cancellationToken);

    /// <summary>Deletes a dataset that no version, evaluation or training job refers to.</summary>
    /// <exception cref="DatasetInUseException">Something refers to it; nothing changed.</exception>
    public Task DeleteAsync(Guid id, string actor, CancellationToken cancellationToken)
    {
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var found = await ReadFirstAsync<(string Name, string Sha256)?>(
                connection, transaction, "SELECT name, sha256 FROM galaxy_datasets WHERE id = $1 FOR UPDATE",
                row => (row.GetString(0), row.GetString(1)), cancellationToken, id);
            if (found is not { } dataset)
            {
                throw new RegistryNotFoundException(RegistryNotFoundException.Dataset, $"No dataset has id {id}.");
            }

            var versions = await ReadAllAsync(
                connection, """
                SELECT m.name, v.version FROM galaxy_model_versions v JOIN galaxy_models m ON m.id = v.model_id
                WHERE v.dataset_id = $1 ORDER BY m.name, v.version LIMIT 3
                """, row => $"version {row.GetInt32(1)} of '{row.GetString(0)}'", cancellationToken, id);
            if (versions.Count > 0)
            {
                throw new DatasetInUseException(dataset.Name, string.Join(", ", versions) + (versions.Count == 3 ? " and maybe more" : ""));
            }

            await using (var delete = Command(connection, transaction, "DELETE FROM galaxy_datasets WHERE id = $1", id))
            {
                try
                {
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    // Evaluations refer to datasets too, and so may tables this project does not own (training jobs).
                    throw new DatasetInUseException(dataset.Name, exception.TableName switch
                    {
                        "galaxy_model_evaluations" => "evaluations of model versions",
                        "galaxy_training_jobs" => "training jobs",
                        var table => $"rows of {table}",
                    });
                }
            }

            await RegistryAudit.AppendAsync(
                connection, transaction, time, actor, RegistryAudit.DatasetDeleted, $"datasets/{dataset.Name}",
                new { id, dataset.Name, dataset.Sha256 }, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Inserts the dataset unless its content is stored already (false then).</summary>
    private async Task<bool> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string name, DatasetTable parsed, long bytes, string actor,
        CancellationToken cancellationToken)
    {
        var classCounts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in parsed.Labels)
        {
            classCounts[label] = classCounts.GetValueOrDefault(label) + 1;
        }

        var features = Float32Bytes.ToBytes(parsed.Features);
        string[] labels = parsed.Labels;
        byte[]? sealedLabels = null;
        Guid? dataKey = null;
        // Content stored already is reused as it is: no data key is made for an upload that adds nothing.
        if (protector is { Enabled: true } sealer && await ReadFirstAsync(connection, transaction,
                "SELECT 1 FROM galaxy_datasets WHERE sha256 = $1", _ => true, cancellationToken, parsed.Sha256) is false)
        {
            dataKey = await sealer.NewDataKeyAsync(connection, transaction, time.GetUtcNow(), cancellationToken);
            features = await sealer.SealAsync(connection, dataKey.Value, features, FeaturesContext(id), cancellationToken);
            sealedLabels = await sealer.SealAsync(connection, dataKey.Value, JsonSerializer.SerializeToUtf8Bytes(parsed.Labels), LabelsContext(id), cancellationToken);
            labels = [];
        }

        await using var insert = Command(connection, transaction, """
            INSERT INTO galaxy_datasets
                (id, name, sha256, label_column, feature_names, rows, features, labels, class_counts, bytes, created_by, created_at,
                 data_key_id, labels_sealed, personal_data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (sha256) DO NOTHING
            """,
            id, name, parsed.Sha256, parsed.LabelColumn, parsed.FeatureNames, parsed.Rows, features,
            labels, Jsonb(classCounts), bytes, actor, time.GetUtcNow(), dataKey, sealedLabels, Jsonb(parsed.PersonalData));
        try
        {
            return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException exception) when (exception.IsUniqueViolation("galaxy_datasets_name_key"))
        {
            throw new DatasetConflictException(name);
        }
    }

    // Each sealed value opens only as the column of the row it was sealed for.
    private static string FeaturesContext(Guid id) => $"galaxy_datasets.features:{id}";

    private static string LabelsContext(Guid id) => $"galaxy_datasets.labels:{id}";
}
