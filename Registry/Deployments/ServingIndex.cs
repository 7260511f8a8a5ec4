using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Deployments;

/// <summary>What one labscape serves: a stable version (null: its units' initial models) and perhaps a canary share.</summary>
public sealed record LabscapeServingRow(
    int LabscapeId, Guid? StableModel, int? StableVersion, Guid? CanaryModel, int? CanaryVersion, int CanaryBasisPoints, string Deployment);

/// <summary>
/// <c>galaxy_labscape_serving</c> (schema 0020): what each labscape grain publishes of its deployment record once it is
/// durable, to route inference by model to the units that serve it.
/// </summary>
public sealed class ServingIndex(NpgsqlDataSource database, TimeProvider time)
{
    public async Task PublishAsync(LabscapeServingRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, """
            INSERT INTO galaxy_labscape_serving
                (labscape_id, stable_model, stable_version, canary_model, canary_version, canary_basis_points, deployment, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (labscape_id) DO UPDATE SET stable_model = excluded.stable_model, stable_version = excluded.stable_version,
                canary_model = excluded.canary_model, canary_version = excluded.canary_version,
                canary_basis_points = excluded.canary_basis_points, deployment = excluded.deployment, updated_at = excluded.updated_at
            """,
            row.LabscapeId, row.StableModel, row.StableVersion, row.CanaryModel, row.CanaryVersion, row.CanaryBasisPoints, row.Deployment,
            time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The labscapes serving <paramref name="modelId"/>, as stable or canary.</summary>
    public async Task<IReadOnlyList<LabscapeServingRow>> ServingAsync(Guid modelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT labscape_id, stable_model, stable_version, canary_model, canary_version, canary_basis_points, deployment
            FROM galaxy_labscape_serving WHERE stable_model = $1 OR canary_model = $1 ORDER BY labscape_id
            """, Row, cancellationToken, modelId);
    }

    /// <summary>Every model version some labscape serves, as stable or canary.</summary>
    public async Task<IReadOnlyList<(Guid ModelId, string ModelName, int Version)>> ServedVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT s.model_id, m.name, s.version
            FROM (SELECT stable_model AS model_id, stable_version AS version FROM galaxy_labscape_serving WHERE stable_model IS NOT NULL
                  UNION SELECT canary_model, canary_version FROM galaxy_labscape_serving WHERE canary_model IS NOT NULL) s
            JOIN galaxy_models m ON m.id = s.model_id
            ORDER BY m.name, s.version
            """, row => (row.GetGuid(0), row.GetString(1), row.GetInt32(2)), cancellationToken);
    }

    private static LabscapeServingRow Row(NpgsqlDataReader row) => new(
        row.GetInt32(0), Nullable<Guid>(row, 1), Nullable<int>(row, 2), Nullable<Guid>(row, 3), Nullable<int>(row, 4), row.GetInt32(5), row.GetString(6));

    private static T? Nullable<T>(NpgsqlDataReader row, int ordinal)
        where T : struct => row.IsDBNull(ordinal) ? null : row.GetFieldValue<T>(ordinal);
}
