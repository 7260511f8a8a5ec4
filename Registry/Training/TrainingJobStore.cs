using Galaxy.Registry.Protection;
using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Training;

/// <summary>
/// A training job as <c>galaxy_training_jobs</c> lists it (schema 0008). <see cref="Status"/> is one of <c>QUEUED,
/// RUNNING, SUCCEEDED, FAILED, CANCELLED</c>.
/// </summary>
public sealed record TrainingJobRow(
    Guid JobId, Guid ModelId, string ModelName, Guid DatasetId, string Status, string RequestedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? StartTime, DateTimeOffset? EndTime, double Progress, int EpochsDone, int Epochs,
    int Candidates, double? BestValidationAccuracy, int? Version, double DeviceSeconds, decimal CostUsd, string? Error);

/// <summary>
/// What training jobs publish and keep in PostgreSQL beside their grain state: their row in the job list, and their
/// last epoch checkpoint (every candidate's parameters), which a job resumes from on another silo. With a
/// <see cref="DataProtector"/> that has a key, checkpoints are sealed like the weights they become.
/// </summary>
public sealed class TrainingJobStore(NpgsqlDataSource database, TimeProvider time, DataProtector? protector = null)
{
    private const string Columns = """
        j.job_id, j.model_id, m.name, j.dataset_id, j.status, j.requested_by, j.created_at, j.start_time, j.end_time,
        j.progress, j.epochs_done, j.epochs, j.candidates, j.best_validation_accuracy, j.version, j.device_seconds,
        j.cost_usd, j.error
        """;

    private const string From = "galaxy_training_jobs j JOIN galaxy_models m ON m.id = j.model_id";

    /// <summary>Inserts or replaces the job's row; <paramref name="configJson"/> is its resolved recipe.</summary>
    public async Task PublishAsync(TrainingJobRow job, string configJson, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO galaxy_training_jobs (job_id, model_id, dataset_id, status, config, requested_by, created_at,
                start_time, end_time, progress, epochs_done, epochs, candidates, best_validation_accuracy, version,
                device_seconds, cost_usd, error, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, start_time = excluded.start_time,
                end_time = excluded.end_time, progress = excluded.progress, epochs_done = excluded.epochs_done,
                best_validation_accuracy = excluded.best_validation_accuracy, version = excluded.version,
                device_seconds = excluded.device_seconds, cost_usd = excluded.cost_usd, error = excluded.error,
                updated_at = excluded.updated_at
            """,
            job.JobId, job.ModelId, job.DatasetId, job.Status, JsonbText(configJson), job.RequestedBy, job.CreatedAt,
            job.StartTime, job.EndTime, job.Progress, job.EpochsDone, job.Epochs, job.Candidates, job.BestValidationAccuracy,
            job.Version, job.DeviceSeconds, job.CostUsd, job.Error, time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Jobs newest first, optionally of one status and one model.</summary>
    public Task<Page<TrainingJobRow>> ListAsync(string? status, Guid? modelId, int offset, int limit, CancellationToken cancellationToken) =>
        ReadPageAsync(
            database, Columns, From, "($1::text IS NULL OR j.status = $1) AND ($2::uuid IS NULL OR j.model_id = $2)",
            "j.created_at DESC, j.job_id", [status, modelId], offset, limit, Row, cancellationToken);

    /// <summary>Jobs queued or running: the ones a silo must make sure are active somewhere.</summary>
    public async Task<IReadOnlyList<Guid>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(
            connection, "SELECT job_id FROM galaxy_training_jobs WHERE status IN ('QUEUED', 'RUNNING')", row => row.GetGuid(0), cancellationToken);
    }

    /// <summary>Replaces the job's checkpoint; sealed under one data key per job when a key-encryption key is configured.</summary>
    public Task SaveCheckpointAsync(Guid jobId, int epochsDone, float[] parameters, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var stored = Float32Bytes.ToBytes(parameters);
            Guid? dataKey = null;
            if (protector is { Enabled: true } sealer)
            {
                dataKey = await ReadFirstAsync<Guid?>(connection, transaction,
                        "SELECT data_key_id FROM galaxy_training_checkpoints WHERE job_id = $1 FOR UPDATE",
                        row => row.IsDBNull(0) ? null : row.GetGuid(0), cancellationToken, jobId)
                    ?? await sealer.NewDataKeyAsync(connection, transaction, time.GetUtcNow(), cancellationToken);
                stored = await sealer.SealAsync(connection, dataKey.Value, stored, CheckpointContext(jobId), cancellationToken);
            }

            await using var command = Command(connection, transaction, """
                INSERT INTO galaxy_training_checkpoints (job_id, epochs_done, parameters, saved_at, data_key_id) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (job_id) DO UPDATE SET epochs_done = excluded.epochs_done, parameters = excluded.parameters,
                    saved_at = excluded.saved_at, data_key_id = excluded.data_key_id
                """,
                jobId, epochsDone, stored, time.GetUtcNow(), dataKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>The job's last checkpoint, or null when it has none.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">It is sealed and cannot be opened with the configured keys.</exception>
    public async Task<(int EpochsDone, float[] Parameters)?> LoadCheckpointAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var found = await ReadFirstAsync<(int EpochsDone, byte[] Parameters, Guid? DataKey)?>(
            connection, null, "SELECT epochs_done, parameters, data_key_id FROM galaxy_training_checkpoints WHERE job_id = $1",
            row => (row.GetInt32(0), row.GetFieldValue<byte[]>(1), row.IsDBNull(2) ? null : row.GetGuid(2)), cancellationToken, jobId);
        if (found is not { } checkpoint)
        {
            return null;
        }

        var parameters = checkpoint.Parameters;
        if (checkpoint.DataKey is { } key)
        {
            var opener = protector ?? throw new System.Security.Cryptography.CryptographicException(
                $"The checkpoint of training job {jobId} is sealed and no key-encryption key is configured.");
            parameters = await opener.OpenAsync(connection, key, parameters, CheckpointContext(jobId), cancellationToken);
        }

        return (checkpoint.EpochsDone, Float32Bytes.FromBytes(parameters));
    }

    // A sealed checkpoint opens only as the checkpoint of the job it was sealed for.
    private static string CheckpointContext(Guid jobId) => $"galaxy_training_checkpoints.parameters:{jobId}";

    // And a sealed population only as the population of its job.
    private static string PopulationContext(Guid jobId) => $"galaxy_training_populations.parameters:{jobId}";

    /// <summary>
    /// Keeps a finished job's population (every candidate's final parameters, in candidate order, and each one's
    /// validation accuracy), for distillation from an ensemble of its best; sealed when a key-encryption key is configured.
    /// </summary>
    public Task SavePopulationAsync(Guid jobId, float[] parameters, double[] validationAccuracy, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var stored = Float32Bytes.ToBytes(parameters);
            Guid? dataKey = null;
            if (protector is { Enabled: true } sealer)
            {
                dataKey = await sealer.NewDataKeyAsync(connection, transaction, time.GetUtcNow(), cancellationToken);
                stored = await sealer.SealAsync(connection, dataKey.Value, stored, PopulationContext(jobId), cancellationToken);
            }

            await using var command = Command(connection, transaction, """
                INSERT INTO galaxy_training_populations (job_id, candidates, parameters, validation_accuracy, saved_at, data_key_id)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (job_id) DO NOTHING
                """,
                jobId, validationAccuracy.Length, stored, validationAccuracy, time.GetUtcNow(), dataKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>A finished job's population, or null when it kept none (it did not succeed, or finished before populations were kept).</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">It is sealed and cannot be opened with the configured keys.</exception>
    public async Task<(float[] Parameters, double[] ValidationAccuracy)?> LoadPopulationAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var found = await ReadFirstAsync<(byte[] Parameters, double[] Accuracy, Guid? DataKey)?>(
            connection, null, "SELECT parameters, validation_accuracy, data_key_id FROM galaxy_training_populations WHERE job_id = $1",
            row => (row.GetFieldValue<byte[]>(0), row.GetFieldValue<double[]>(1), row.IsDBNull(2) ? null : row.GetGuid(2)), cancellationToken, jobId);
        if (found is not { } population)
        {
            return null;
        }

        var parameters = population.Parameters;
        if (population.DataKey is { } key)
        {
            var opener = protector ?? throw new System.Security.Cryptography.CryptographicException(
                $"The population of training job {jobId} is sealed and no key-encryption key is configured.");
            parameters = await opener.OpenAsync(connection, key, parameters, PopulationContext(jobId), cancellationToken);
        }

        return (Float32Bytes.FromBytes(parameters), population.Accuracy);
    }

    /// <summary>Seals the populations stored in plaintext, one per transaction; returns how many it sealed.</summary>
    public async Task<int> SealStoredAsync(CancellationToken cancellationToken)
    {
        if (protector is not { Enabled: true } sealer)
        {
            throw new InvalidOperationException("No key-encryption key is configured.");
        }

        var sealedCount = 0;
        while (await database.InTransactionAsync(async (connection, transaction) =>
        {
            var found = await ReadFirstAsync<(Guid Job, byte[] Parameters)?>(connection, transaction,
                "SELECT job_id, parameters FROM galaxy_training_populations WHERE data_key_id IS NULL LIMIT 1 FOR UPDATE SKIP LOCKED",
                row => (row.GetGuid(0), row.GetFieldValue<byte[]>(1)), cancellationToken);
            if (found is not { } plain)
            {
                return false;
            }

            var dataKey = await sealer.NewDataKeyAsync(connection, transaction, time.GetUtcNow(), cancellationToken);
            await using var update = Command(connection, transaction,
                "UPDATE galaxy_training_populations SET data_key_id = $2, parameters = $3 WHERE job_id = $1",
                plain.Job, dataKey, await sealer.SealAsync(connection, dataKey, plain.Parameters, PopulationContext(plain.Job), cancellationToken));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken))
        {
            sealedCount++;
        }

        return sealedCount;
    }

    /// <summary>The resolved recipe a job was submitted with, as the JSON it published; null when there is no such job.</summary>
    public async Task<string?> RecipeJsonAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync(connection, null, "SELECT config::text FROM galaxy_training_jobs WHERE job_id = $1", row => row.GetString(0), cancellationToken, jobId);
    }

    public async Task DeleteCheckpointAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "DELETE FROM galaxy_training_checkpoints WHERE job_id = $1", jobId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The version the job registered, if it did: at most one (a unique index), so a resumed job never registers twice.</summary>
    public async Task<int?> RegisteredVersionAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync<int?>(
            connection, null, "SELECT version FROM galaxy_model_versions WHERE training_job_id = $1", row => row.GetInt32(0), cancellationToken, jobId);
    }

    private static TrainingJobRow Row(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.GetGuid(3), row.GetString(4), row.GetString(5),
        row.GetFieldValue<DateTimeOffset>(6), Nullable<DateTimeOffset>(row, 7), Nullable<DateTimeOffset>(row, 8), row.GetDouble(9),
        row.GetInt32(10), row.GetInt32(11), row.GetInt32(12), Nullable<double>(row, 13), Nullable<int>(row, 14), row.GetDouble(15),
        row.GetDecimal(16), row.IsDBNull(17) ? null : row.GetString(17));

    private static T? Nullable<T>(NpgsqlDataReader row, int ordinal)
        where T : struct => row.IsDBNull(ordinal) ? null : row.GetFieldValue<T>(ordinal);
}
