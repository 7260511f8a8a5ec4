using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Monitoring;

/// <summary>A model's thresholds as set, by whom and when.</summary>
public sealed record ThresholdsRow(Guid ModelId, ModelThresholds Thresholds, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary><c>galaxy_alert_thresholds</c> (schema 0024): the thresholds set per model; a model without a row has the seed's.</summary>
public sealed class ThresholdStore(NpgsqlDataSource database, TimeProvider time)
{
    public async Task<ThresholdsRow?> FindAsync(Guid modelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadFirstAsync(
            connection, null, "SELECT model_id, thresholds::text, updated_by, updated_at FROM galaxy_alert_thresholds WHERE model_id = $1",
            Row, cancellationToken, modelId);
    }

    /// <summary>Every model's set thresholds, by model.</summary>
    public async Task<IReadOnlyDictionary<Guid, ModelThresholds>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await ReadAllAsync(connection, "SELECT model_id, thresholds::text, updated_by, updated_at FROM galaxy_alert_thresholds", Row, cancellationToken);
        return rows.ToDictionary(row => row.ModelId, row => row.Thresholds);
    }

    /// <exception cref="InvalidRegistryInputException">The thresholds contradict each other or lie out of range.</exception>
    public async Task<ThresholdsRow> SetAsync(Guid modelId, ModelThresholds thresholds, string actor, CancellationToken cancellationToken)
    {
        if (thresholds.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidRegistryInputException("thresholds", string.Join(" ", problems));
        }

        var row = new ThresholdsRow(modelId, thresholds, actor, time.GetUtcNow());
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO galaxy_alert_thresholds (model_id, thresholds, updated_by, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (model_id) DO UPDATE SET thresholds = excluded.thresholds, updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, modelId, Jsonb(thresholds), actor, row.UpdatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return row;
    }

    private static ThresholdsRow Row(NpgsqlDataReader row) =>
        new(row.GetGuid(0), FromJson<ModelThresholds>(row, 1), row.GetString(2), row.GetFieldValue<DateTimeOffset>(3));
}
