using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Galaxy.Registry.Protection;
using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry;

/// <summary>
/// The model registry (MLflow is the reference) in PostgreSQL, schema 0007: models with tags; versions numbered 1, 2, …
/// per model, with their weights, preprocessing, metrics and lineage, whose status moves only along
/// <see cref="VersionTransitions"/>; aliases that each name one version; evaluations. Every change appends its audit
/// row (<see cref="RegistryAudit"/>) in the transaction that makes it, so the chain holds exactly the changes made. With
/// a <see cref="DataProtector"/> that has a key, each version's weights are stored sealed under a data key of their own.
/// </summary>
public sealed class ModelRegistry(NpgsqlDataSource database, TimeProvider time, DataProtector? protector = null)
{
    private const string ModelSelect = $"SELECT {RegistryRows.ModelColumns} FROM {RegistryRows.ModelFrom}";
    private const string VersionSelect = $"SELECT {RegistryRows.VersionColumns} FROM {RegistryRows.VersionFrom}";

    /// <exception cref="ModelConflictException">A model has this name already.</exception>
    public Task<ModelInfo> CreateModelAsync(
        string name, string description, IReadOnlyDictionary<string, string> tags, string actor, CancellationToken cancellationToken)
    {
        RegistryNames.EnsureName(name, "name");
        RegistryChecks.Description(description);
        RegistryChecks.Tags(tags);
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(
            (connection, transaction) => AddModelAsync(connection, transaction, name, description ?? "", tags ?? new Dictionary<string, string>(),
                actor, reuseExisting: false, cancellationToken),
            cancellationToken);
    }

    /// <summary>The model with this name, created (without description or tags) if there is none.</summary>
    public Task<ModelInfo> GetOrCreateModelAsync(string name, string actor, CancellationToken cancellationToken)
    {
        RegistryNames.EnsureName(name, "name");
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(
            (connection, transaction) => AddModelAsync(connection, transaction, name, "", new Dictionary<string, string>(), actor,
                reuseExisting: true, cancellationToken),
            cancellationToken);
    }

    /// <summary>A model by its id or its name; null when there is none.</summary>
    public async Task<ModelInfo?> FindModelAsync(string idOrName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return Guid.TryParse(idOrName, out var id)
            ? await ReadFirstAsync(connection, null, ModelSelect + " WHERE m.id = $1", RegistryRows.Model, cancellationToken, id)
            : await ReadFirstAsync(connection, null, ModelSelect + " WHERE m.name = $1", RegistryRows.Model, cancellationToken, idOrName);
    }

    /// <summary>Sets what is given: a new description, and tags that replace the model's; null leaves either as it is.</summary>
    public Task<ModelInfo> UpdateModelAsync(
        Guid id, string? description, IReadOnlyDictionary<string, string>? tags, string actor, CancellationToken cancellationToken)
    {
        RegistryChecks.Description(description);
        RegistryChecks.Tags(tags);
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            if (description is not null || tags is not null)
            {
                await using var update = Command(connection, transaction,
                    "UPDATE galaxy_models SET description = coalesce($2, description), tags = coalesce($3, tags), updated_at = $4 WHERE id = $1 RETURNING name",
                    id, description, tags is null ? null : Jsonb(tags), time.GetUtcNow());
                var name = await update.ExecuteScalarAsync(cancellationToken) as string ?? throw ModelNotFound(id);
                var changed = string.Join(" and ", new[] { description is null ? null : "description", tags is null ? null : "tags" }.OfType<string>());
                await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.ModelUpdated, $"models/{name} ({changed})",
                    new { Model = name, Description = description, Tags = tags }, cancellationToken);
            }

            return await ReadFirstAsync(connection, transaction, ModelSelect + " WHERE m.id = $1", RegistryRows.Model, cancellationToken, id)
                ?? throw ModelNotFound(id);
        }, cancellationToken);
    }

    /// <summary>Models by name substring, tags (all must match) and their newest version's status, ordered by name.</summary>
    public Task<Page<ModelInfo>> SearchModelsAsync(ModelQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        RegistryChecks.Tags(query.Tags);
        return ReadPageAsync(
            database, RegistryRows.ModelColumns, RegistryRows.ModelFrom,
            "($1::text IS NULL OR strpos(m.name, $1) > 0) AND ($2::jsonb IS NULL OR m.tags @> $2) AND ($3::text IS NULL OR lv.status = $3)",
            "m.name",
            [
                string.IsNullOrEmpty(query.NameContains) ? null : query.NameContains.ToLowerInvariant(),
                query.Tags is { Count: > 0 } tags ? Jsonb(tags) : null,
                query.LatestStatus?.ToWire(),
            ],
            query.Offset, query.Limit, RegistryRows.Model, cancellationToken);
    }

    /// <summary>Registers a version, <c>PENDING</c>, numbered one past the model's highest.</summary>
    /// <exception cref="InvalidRegistryInputException">The version does not hold together (see <see cref="RegistryChecks"/>).</exception>
    public Task<ModelVersion> CreateVersionAsync(Guid modelId, NewModelVersion version, string actor, CancellationToken cancellationToken)
    {
        var architecture = RegistryChecks.Version(version);
        RegistryChecks.Actor(actor);
        var weights = Float32Bytes.ToBytes(version.Weights);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow();
            // The model row stays locked until the commit, so each number is handed out once: no gaps, no duplicates.
            var allocated = await ReadFirstAsync<(string Name, int Number)?>(connection, transaction,
                "UPDATE galaxy_models SET latest_version = latest_version + 1, updated_at = $2 WHERE id = $1 RETURNING name, latest_version",
                row => (row.GetString(0), row.GetInt32(1)), cancellationToken, modelId, now);
            var (name, number) = allocated ?? throw ModelNotFound(modelId);

            var lineage = version.Lineage with
            {
                DatasetSha256 = await DatasetHashAsync(connection, transaction, version.Lineage, cancellationToken),
            };
            if (lineage.ParentVersion >= number)
            {
                throw new InvalidRegistryInputException("parentVersion", $"'parentVersion' must be an earlier version than {number}.");
            }

            var stored = weights;
            Guid? dataKey = null;
            if (protector is { Enabled: true } sealer)
            {
                dataKey = await sealer.NewDataKeyAsync(connection, transaction, now, cancellationToken);
                stored = await sealer.SealAsync(connection, dataKey.Value, weights, WeightsContext(modelId, number), cancellationToken);
            }

            await using (var insert = Command(connection, transaction, """
                INSERT INTO galaxy_model_versions
                    (model_id, version, status, inputs, hidden, outputs, loss, weights, preprocessing, classes, feature_names, metrics,
                     training_job_id, dataset_id, dataset_sha256, parent_version, technique, created_by, created_at, status_changed_at,
                     data_key_id, technique_settings)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20, $21)
                """,
                modelId, number, VersionStatus.Pending.ToWire(), version.Inputs, version.Hidden, version.Outputs, version.Loss, stored,
                Jsonb(version.Preprocessing), version.Classes, version.FeatureNames, Jsonb(version.Metrics), lineage.TrainingJobId,
                lineage.DatasetId, lineage.DatasetSha256, lineage.ParentVersion, lineage.Technique, actor, now, dataKey,
                lineage.Settings is null ? null : Jsonb(lineage.Settings)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.VersionCreated,
                $"models/{name}/versions/{number} ({architecture} {version.Loss}, {lineage.Technique})",
                new
                {
                    Model = name, Version = number, Architecture = architecture.ToString(), version.Loss,
                    WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(weights)), version.Preprocessing, version.Classes,
                    version.FeatureNames, version.Metrics, Lineage = lineage,
                },
                cancellationToken);
            return await ReadVersionAsync(connection, transaction, modelId, number, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>A version by number (<c>3</c>), <c>latest</c> (the highest number) or alias; null when there is none.</summary>
    public async Task<ModelVersion?> FindVersionAsync(Guid modelId, string versionOrAlias, CancellationToken cancellationToken)
    {
        string condition;
        object?[] values;
        if (int.TryParse(versionOrAlias, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            (condition, values) = ("v.version = $2", [modelId, number]);
        }
        else if (versionOrAlias == RegistryNames.Latest)
        {
            (condition, values) = ("v.version = m.latest_version", [modelId]);
        }
        else if (RegistryNames.IsAlias(versionOrAlias))
        {
            (condition, values) = ("v.version = (SELECT a.version FROM galaxy_model_aliases a WHERE a.model_id = $1 AND a.alias = $2)",
                [modelId, versionOrAlias]);
        }
        else
        {
            return null;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync(connection, null, $"{VersionSelect} WHERE v.model_id = $1 AND {condition}", RegistryRows.Version,
            cancellationToken, values);
    }

    /// <summary>A version's packed weights, in the kernels' layout, opened if they are sealed.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">They are sealed and cannot be opened with the configured keys.</exception>
    public async Task<float[]> LoadWeightsAsync(Guid modelId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var (weights, dataKey) = await ReadFirstAsync(connection, null,
            "SELECT weights, data_key_id FROM galaxy_model_versions WHERE model_id = $1 AND version = $2",
            row => (row.GetFieldValue<byte[]>(0), row.IsDBNull(1) ? (Guid?)null : row.GetGuid(1)), cancellationToken, modelId, version);
        if (weights is null)
        {
            throw await VersionNotFoundAsync(connection, null, modelId, version, cancellationToken);
        }

        if (dataKey is { } key)
        {
            var opener = protector ?? throw new System.Security.Cryptography.CryptographicException(
                $"Version {version} of model {modelId} is sealed and no key-encryption key is configured.");
            weights = await opener.OpenAsync(connection, key, weights, WeightsContext(modelId, version), cancellationToken);
        }

        return Float32Bytes.FromBytes(weights);
    }

    /// <summary>Seals the weights of versions stored in plaintext, one per transaction; returns how many it sealed.</summary>
    public async Task<int> SealStoredAsync(CancellationToken cancellationToken)
    {
        if (protector is not { Enabled: true } sealer)
        {
            throw new InvalidOperationException("No key-encryption key is configured.");
        }

        var sealedCount = 0;
        while (await database.InTransactionAsync(async (connection, transaction) =>
        {
            var found = await ReadFirstAsync<(Guid Model, int Version, byte[] Weights)?>(connection, transaction,
                "SELECT model_id, version, weights FROM galaxy_model_versions WHERE data_key_id IS NULL LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED",
                row => (row.GetGuid(0), row.GetInt32(1), row.GetFieldValue<byte[]>(2)), cancellationToken);
            if (found is not { } plain)
            {
                return false;
            }

            var dataKey = await sealer.NewDataKeyAsync(connection, transaction, time.GetUtcNow(), cancellationToken);
            await using var update = Command(connection, transaction,
                "UPDATE galaxy_model_versions SET data_key_id = $3, weights = $4 WHERE model_id = $1 AND version = $2",
                plain.Model, plain.Version, dataKey,
                await sealer.SealAsync(connection, dataKey, plain.Weights, WeightsContext(plain.Model, plain.Version), cancellationToken));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken))
        {
            sealedCount++;
        }

        return sealedCount;
    }

    // Sealed weights open only as the weights of the version they were sealed for.
    private static string WeightsContext(Guid modelId, int version) => $"galaxy_model_versions.weights:{modelId}/{version}";

    /// <summary>A model's versions, newest first, optionally only those in <paramref name="status"/>.</summary>
    public Task<Page<ModelVersion>> ListVersionsAsync(
        Guid modelId, VersionStatus? status, int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(database, RegistryRows.VersionColumns, RegistryRows.VersionFrom, "v.model_id = $1 AND ($2::text IS NULL OR v.status = $2)",
            "v.version DESC", [modelId, status?.ToWire()], offset, limit, RegistryRows.Version, cancellationToken);

    /// <summary>Moves a version to <paramref name="to"/> if the lifecycle allows it from where it is.</summary>
    /// <exception cref="IllegalTransitionException">It does not; nothing changed.</exception>
    public Task<ModelVersion> ChangeStatusAsync(
        Guid modelId, int version, VersionStatus to, string actor, string? reason, CancellationToken cancellationToken)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        RegistryChecks.Reason(reason);
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            // The version's row lock makes the check and the change one step: two callers cannot both move it from PENDING.
            // NO KEY UPDATE: aliases and evaluations may still refer to the row meanwhile.
            var current = await ReadFirstAsync<(string Model, string Status)?>(connection, transaction, """
                SELECT m.name, v.status FROM galaxy_model_versions v JOIN galaxy_models m ON m.id = v.model_id
                WHERE v.model_id = $1 AND v.version = $2 FOR NO KEY UPDATE OF v
                """, row => (row.GetString(0), row.GetString(1)), cancellationToken, modelId, version);
            if (current is not { } found)
            {
                throw await VersionNotFoundAsync(connection, transaction, modelId, version, cancellationToken);
            }

            var (model, status) = found;

            var from = RegistryRows.Status(status);
            if (!VersionTransitions.IsLegal(from, to))
            {
                throw new IllegalTransitionException(model, version, from, to);
            }

            await using (var update = Command(connection, transaction,
                "UPDATE galaxy_model_versions SET status = $3, status_changed_at = $4, status_reason = $5 WHERE model_id = $1 AND version = $2",
                modelId, version, to.ToWire(), time.GetUtcNow(), reason))
            {
                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.VersionStatusChanged,
                $"models/{model}/versions/{version} {from.ToWire()}→{to.ToWire()}" + (reason is null ? "" : $": {reason}"),
                new { Model = model, Version = version, From = from.ToWire(), To = to.ToWire(), Reason = reason }, cancellationToken);
            return await ReadVersionAsync(connection, transaction, modelId, version, cancellationToken);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(Guid modelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection,
            "SELECT alias, version, updated_by, updated_at FROM galaxy_model_aliases WHERE model_id = $1 ORDER BY alias",
            row => new ModelAlias(row.GetString(0), row.GetInt32(1), row.GetString(2), row.GetFieldValue<DateTimeOffset>(3)),
            cancellationToken, modelId);
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, creating it or moving it in one step; returns that version.</summary>
    public Task<ModelVersion> SetAliasAsync(Guid modelId, string alias, int version, string actor, CancellationToken cancellationToken)
    {
        RegistryNames.EnsureAlias(alias);
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var model = await LockModelAsync(connection, transaction, modelId, cancellationToken);
            var previous = await ReadFirstAsync<int?>(connection, transaction,
                "SELECT version FROM galaxy_model_aliases WHERE model_id = $1 AND alias = $2", row => row.GetInt32(0), cancellationToken,
                modelId, alias);
            if (previous != version)
            {
                await using (var upsert = Command(connection, transaction, """
                    INSERT INTO galaxy_model_aliases (model_id, alias, version, updated_by, updated_at)
                    SELECT $1, $2, $3, $4, $5 FROM galaxy_model_versions WHERE model_id = $1 AND version = $3
                    ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                    """, modelId, alias, version, actor, time.GetUtcNow()))
                {
                    if (await upsert.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        throw new RegistryNotFoundException(RegistryNotFoundException.Version, $"Model '{model}' has no version {version}.");
                    }
                }

                await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.AliasSet,
                    $"models/{model}/aliases/{alias} → {version}" + (previous is { } was ? $" (was {was})" : ""),
                    new { Model = model, Alias = alias, Version = version, Previous = previous }, cancellationToken);
            }

            return await ReadVersionAsync(connection, transaction, modelId, version, cancellationToken);
        }, cancellationToken);
    }

    public Task RemoveAliasAsync(Guid modelId, string alias, string actor, CancellationToken cancellationToken)
    {
        RegistryNames.EnsureAlias(alias);
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var model = await LockModelAsync(connection, transaction, modelId, cancellationToken);
            var removed = await ReadFirstAsync<int?>(connection, transaction,
                "DELETE FROM galaxy_model_aliases WHERE model_id = $1 AND alias = $2 RETURNING version", row => row.GetInt32(0),
                cancellationToken, modelId, alias)
                ?? throw new RegistryNotFoundException(RegistryNotFoundException.Alias, $"Model '{model}' has no alias '{alias}'.");
            await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.AliasRemoved,
                $"models/{model}/aliases/{alias} removed (was {removed})", new { Model = model, Alias = alias, Previous = removed },
                cancellationToken);
            return removed;
        }, cancellationToken);
    }

    /// <summary>Records a version's accuracy on a dataset, with its report (a JSON object).</summary>
    public Task<EvaluationRecord> RecordEvaluationAsync(
        Guid modelId, int version, Guid datasetId, double accuracy, string reportJson, string actor, CancellationToken cancellationToken)
    {
        RegistryChecks.Evaluation(accuracy, reportJson);
        RegistryChecks.Actor(actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var model = await ReadFirstAsync(connection, transaction, """
                SELECT m.name FROM galaxy_model_versions v JOIN galaxy_models m ON m.id = v.model_id WHERE v.model_id = $1 AND v.version = $2
                """, row => row.GetString(0), cancellationToken, modelId, version)
                ?? throw await VersionNotFoundAsync(connection, transaction, modelId, version, cancellationToken);
            var dataset = await ReadFirstAsync(connection, transaction, "SELECT name FROM galaxy_datasets WHERE id = $1 FOR KEY SHARE",
                row => row.GetString(0), cancellationToken, datasetId)
                ?? throw DatasetNotFound(datasetId);
            var id = await ReadFirstAsync(connection, transaction, """
                INSERT INTO galaxy_model_evaluations (model_id, version, dataset_id, accuracy, report, evaluated_by, evaluated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
                """, row => row.GetInt64(0), cancellationToken,
                modelId, version, datasetId, accuracy, JsonbText(reportJson), actor, time.GetUtcNow());
            await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.VersionEvaluated,
                $"models/{model}/versions/{version} on datasets/{dataset}: accuracy {accuracy.ToString("0.####", CultureInfo.InvariantCulture)}",
                new
                {
                    Model = model, Version = version, DatasetId = datasetId, Dataset = dataset, Accuracy = accuracy,
                    ReportSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reportJson))),
                },
                cancellationToken);
            return (await ReadFirstAsync(connection, transaction,
                $"SELECT {RegistryRows.EvaluationColumns} FROM {RegistryRows.EvaluationFrom} WHERE e.id = $1", RegistryRows.Evaluation,
                cancellationToken, id))!;
        }, cancellationToken);
    }

    /// <summary>A version's evaluations, newest first.</summary>
    public async Task<IReadOnlyList<EvaluationRecord>> ListEvaluationsAsync(Guid modelId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection,
            $"SELECT {RegistryRows.EvaluationColumns} FROM {RegistryRows.EvaluationFrom} WHERE e.model_id = $1 AND e.version = $2 ORDER BY e.id DESC",
            RegistryRows.Evaluation, cancellationToken, modelId, version);
    }

    /// <summary>Inserts a model (or, with <paramref name="reuseExisting"/>, finds the one of that name) and audits a creation.</summary>
    private async Task<ModelInfo> AddModelAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string name, string description, IReadOnlyDictionary<string, string> tags,
        string actor, bool reuseExisting, CancellationToken cancellationToken)
    {
        await using (var insert = Command(connection, transaction, $"""
            INSERT INTO galaxy_models (id, name, description, tags, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
            {(reuseExisting ? "ON CONFLICT (name) DO NOTHING" : "")}
            """, Guid.CreateVersion7(), name, description, Jsonb(tags), actor, time.GetUtcNow()))
        {
            int inserted;
            try
            {
                inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException exception) when (exception.IsUniqueViolation("galaxy_models_name_key"))
            {
                throw new ModelConflictException(name);
            }

            if (inserted == 1)
            {
                await RegistryAudit.AppendAsync(connection, transaction, time, actor, RegistryAudit.ModelCreated, $"models/{name}",
                    new { Model = name, Description = description, Tags = tags }, cancellationToken);
            }
        }

        return (await ReadFirstAsync(connection, transaction, ModelSelect + " WHERE m.name = $1", RegistryRows.Model, cancellationToken, name))!;
    }

    /// <summary>The dataset hash a version's lineage records: the stored dataset's own, which a given hash must match.</summary>
    private static async Task<string?> DatasetHashAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, VersionLineage lineage, CancellationToken cancellationToken)
    {
        if (lineage.DatasetId is not { } datasetId)
        {
            return lineage.DatasetSha256;
        }

        var stored = await ReadFirstAsync(connection, transaction, "SELECT sha256 FROM galaxy_datasets WHERE id = $1 FOR KEY SHARE",
            row => row.GetString(0), cancellationToken, datasetId)
            ?? throw DatasetNotFound(datasetId);
        return lineage.DatasetSha256 is null || lineage.DatasetSha256 == stored
            ? stored
            : throw new InvalidRegistryInputException("datasetSha256", $"'datasetSha256' is not the content hash of dataset {datasetId}.");
    }

    /// <summary>
    /// Takes the model row's lock until the commit, so that alias changes of one model happen one at a time and each
    /// audits the version it really replaced.
    /// </summary>
    private static async Task<string> LockModelAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid modelId, CancellationToken cancellationToken) =>
        await ReadFirstAsync(connection, transaction, "SELECT name FROM galaxy_models WHERE id = $1 FOR NO KEY UPDATE",
            row => row.GetString(0), cancellationToken, modelId)
        ?? throw ModelNotFound(modelId);

    private static async Task<ModelVersion> ReadVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid modelId, int version, CancellationToken cancellationToken) =>
        (await ReadFirstAsync(connection, transaction, VersionSelect + " WHERE v.model_id = $1 AND v.version = $2", RegistryRows.Version,
            cancellationToken, modelId, version))!;

    /// <summary>Model or version not found, whichever it is.</summary>
    private static async Task<RegistryNotFoundException> VersionNotFoundAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid modelId, int version, CancellationToken cancellationToken)
    {
        var model = await ReadFirstAsync(connection, transaction, "SELECT name FROM galaxy_models WHERE id = $1", row => row.GetString(0),
            cancellationToken, modelId);
        return model is null
            ? ModelNotFound(modelId)
            : new RegistryNotFoundException(RegistryNotFoundException.Version, $"Model '{model}' has no version {version}.");
    }

    private static RegistryNotFoundException ModelNotFound(Guid id) => new(RegistryNotFoundException.Model, $"No model has id {id}.");

    private static RegistryNotFoundException DatasetNotFound(Guid id) => new(RegistryNotFoundException.Dataset, $"No dataset has id {id}.");
}
