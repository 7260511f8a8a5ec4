using Npgsql;

namespace Galaxy.Registry;

/// <summary>What the registry selects for each of its records, and how a row becomes one.</summary>
internal static class RegistryRows
{
    /// <summary>A model, its aliases, and its newest version's status.</summary>
    public const string ModelColumns = """
        m.id, m.name, m.description, m.tags,
        (SELECT coalesce(jsonb_object_agg(a.alias, a.version), '{}') FROM galaxy_model_aliases a WHERE a.model_id = m.id),
        m.latest_version, lv.status, m.created_by, m.created_at, m.updated_at
        """;

    public const string ModelFrom =
        "galaxy_models m LEFT JOIN galaxy_model_versions lv ON lv.model_id = m.id AND lv.version = m.latest_version";

    /// <summary>A version with its model's name and its aliases; not its weights.</summary>
    public const string VersionColumns = """
        v.model_id, m.name, v.version, v.status, v.inputs, v.hidden, v.outputs, v.loss, v.preprocessing, v.classes,
        v.feature_names, v.metrics, v.training_job_id, v.dataset_id, v.dataset_sha256, v.parent_version, v.technique,
        ARRAY(SELECT a.alias FROM galaxy_model_aliases a WHERE a.model_id = v.model_id AND a.version = v.version ORDER BY a.alias),
        v.created_by, v.created_at, v.status_changed_at, v.status_reason, v.technique_settings
        """;

    public const string VersionFrom = "galaxy_model_versions v JOIN galaxy_models m ON m.id = v.model_id";

    public const string DatasetColumns =
        "id, name, sha256, label_column, feature_names, rows, bytes, class_counts, created_by, created_at, personal_data, data_key_id IS NOT NULL";

    public const string EvaluationColumns =
        "e.id, e.model_id, e.version, e.dataset_id, d.name, e.accuracy, e.report, e.evaluated_by, e.evaluated_at";

    public const string EvaluationFrom = "galaxy_model_evaluations e JOIN galaxy_datasets d ON d.id = e.dataset_id";

    public static ModelInfo Model(NpgsqlDataReader row)
    {
        var latest = row.GetInt32(5);
        return new ModelInfo(
            row.GetGuid(0), row.GetString(1), row.GetString(2),
            RegistrySql.FromJson<Dictionary<string, string>>(row, 3), RegistrySql.FromJson<Dictionary<string, int>>(row, 4),
            latest == 0 ? null : latest, row.IsDBNull(6) ? null : Status(row.GetString(6)),
            row.GetString(7), row.GetFieldValue<DateTimeOffset>(8), row.GetFieldValue<DateTimeOffset>(9));
    }

    public static ModelVersion Version(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetString(1), row.GetInt32(2), Status(row.GetString(3)), row.GetInt32(4), row.GetInt32(5), row.GetInt32(6),
        row.GetString(7), RegistrySql.FromJson<Preprocessing>(row, 8), row.GetFieldValue<string[]>(9), row.GetFieldValue<string[]>(10),
        RegistrySql.FromJson<Dictionary<string, double>>(row, 11),
        new VersionLineage(
            Nullable<Guid>(row, 12), Nullable<Guid>(row, 13), row.IsDBNull(14) ? null : row.GetString(14), Nullable<int>(row, 15),
            row.GetString(16))
        {
            Settings = row.IsDBNull(22) ? null : RegistrySql.FromJson<Dictionary<string, string>>(row, 22),
        },
        row.GetFieldValue<string[]>(17), row.GetString(18), row.GetFieldValue<DateTimeOffset>(19), row.GetFieldValue<DateTimeOffset>(20))
    {
        StatusReason = row.IsDBNull(21) ? null : row.GetString(21),
    };

    public static DatasetInfo Dataset(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetFieldValue<string[]>(4), row.GetInt32(5),
        row.GetInt64(6), RegistrySql.FromJson<Dictionary<string, int>>(row, 7), row.GetString(8), row.GetFieldValue<DateTimeOffset>(9))
    {
        PersonalData = RegistrySql.FromJson<List<PersonalData.PersonalDataFinding>>(row, 10),
        Encrypted = row.GetBoolean(11),
    };

    public static EvaluationRecord Evaluation(NpgsqlDataReader row) => new(
        row.GetInt64(0), row.GetGuid(1), row.GetInt32(2), row.GetGuid(3), row.GetString(4), row.GetDouble(5), row.GetString(6),
        row.GetString(7), row.GetFieldValue<DateTimeOffset>(8));

    public static VersionStatus Status(string name) =>
        VersionStatusNames.TryParse(name, out var status) ? status : throw new InvalidOperationException($"Unknown version status '{name}' in the database.");

    private static T? Nullable<T>(NpgsqlDataReader row, int ordinal)
        where T : struct => row.IsDBNull(ordinal) ? null : row.GetFieldValue<T>(ordinal);
}
