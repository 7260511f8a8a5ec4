using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry;

/// <summary>
/// Datasets in PostgreSQL (<c>galaxy_datasets</c>, schema 0007): stored once per content (SHA-256 of the uploaded
/// bytes), listed and described without their rows, loaded whole for training and evaluation, deleted only while
/// nothing refers to them. Registering and deleting append their audit rows in the same transaction.
/// </summary>
public sealed class DatasetStore(NpgsqlDataSource database, TimeProvider time)
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

    /// <summary>Every row of a dataset; null when there is none.</summary>
    public async Task<DatasetTable?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync(
            connection, null, "SELECT id, name, sha256, label_column, feature_names, rows, features, labels FROM galaxy_datasets WHERE id = $1",
            row => new DatasetTable(
                row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetFieldValue<string[]>(4), row.GetInt32(5),
                Float32Bytes.FromBytes(row.GetFieldValue<byte[]>(6)), row.GetFieldValue<string[]>(7)),
            cancellationToken, id);
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

        await using var insert = Command(connection, transaction, """
            INSERT INTO galaxy_datasets
                (id, name, sha256, label_column, feature_names, rows, features, labels, class_counts, bytes, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (sha256) DO NOTHING
            """,
            id, name, parsed.Sha256, parsed.LabelColumn, parsed.FeatureNames, parsed.Rows, Float32Bytes.ToBytes(parsed.Features),
            parsed.Labels, Jsonb(classCounts), bytes, actor, time.GetUtcNow());
        try
        {
            return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (PostgresException exception) when (exception.IsUniqueViolation("galaxy_datasets_name_key"))
        {
            throw new DatasetConflictException(name);
        }
    }
}
