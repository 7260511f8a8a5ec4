using Npgsql;
using static Galaxy.Registry.RegistrySql;

namespace Galaxy.Registry.Deployments;

/// <summary>What one labscape serves: a stable version (null: its units' initial models) and perhaps a canary share.</summary>
public sealed record LabscapeServingRow(
    int LabscapeId, Guid? StableModel, int? StableVersion, Guid? CanaryModel, int? CanaryVersion, int CanaryBasisPoints, string Deployment);

/// <summary>A version some labscapes serve (<c>digits:3</c>), and on how many as stable and as canary.</summary>
public sealed record ServedVersionRow(Guid ModelId, string Model, int Version, int StableLabscapes, int CanaryLabscapes);

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

    /// <summary>Every model version some labscape serves, with how many labscapes serve it as stable and as canary.</summary>
    public async Task<IReadOnlyList<ServedVersionRow>> ServedVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, """
            SELECT served.model, m.name, served.version, count(*) FILTER (WHERE served.stable), count(*) FILTER (WHERE NOT served.stable)
            FROM (SELECT stable_model AS model, stable_version AS version, true AS stable FROM galaxy_labscape_serving WHERE stable_model IS NOT NULL
                  UNION ALL
                  SELECT canary_model, canary_version, false FROM galaxy_labscape_serving WHERE canary_model IS NOT NULL) AS served
            JOIN galaxy_models m ON m.id = served.model
            GROUP BY served.model, m.name, served.version ORDER BY m.name, served.version
            """, row => new ServedVersionRow(row.GetGuid(0), row.GetString(1), row.GetInt32(2), (int)row.GetInt64(3), (int)row.GetInt64(4)), cancellationToken);
    }

    private static LabscapeServingRow Row(NpgsqlDataReader row) => new(
        row.GetInt32(0), Nullable<Guid>(row, 1), Nullable<int>(row, 2), Nullable<Guid>(row, 3), Nullable<int>(row, 4), row.GetInt32(5), row.GetString(6));

    private static T? Nullable<T>(NpgsqlDataReader row, int ordinal)
        where T : struct => row.IsDBNull(ordinal) ? null : row.GetFieldValue<T>(ordinal);
}
