using System.Text.Json;
using Galaxy.Kernels;

namespace Galaxy.Registry;

/// <summary>
/// What the registry checks before it stores anything. Each failure is an <see cref="InvalidRegistryInputException"/>
/// that names the field as the HTTP contract spells it.
/// </summary>
internal static class RegistryChecks
{
    public const int MaxDescriptionLength = 2_000;
    public const int MaxTags = 50;
    public const int MaxTagKeyLength = 64;
    public const int MaxTagValueLength = 256;
    public const int MaxMetrics = 100;
    public const int MaxMetricNameLength = 64;
    public const int MaxReasonLength = 500;
    public const int MaxLabelLength = 256;
    public static readonly string[] Losses = ["MeanSquaredError", "CrossEntropy"];

    public static void Actor(string actor)
    {
        if (string.IsNullOrWhiteSpace(actor))
        {
            throw new ArgumentException("Every change needs the principal who made it.", nameof(actor));
        }
    }

    public static void Description(string? description)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            Fail("description", $"'description' may hold at most {MaxDescriptionLength} characters.");
        }
    }

    public static void Tags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            Fail("tags", $"A model may carry at most {MaxTags} tags.");
        }

        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxTagKeyLength || value is null || value.Length > MaxTagValueLength)
            {
                Fail("tags", $"Tag keys are 1 to {MaxTagKeyLength} characters, values strings of at most {MaxTagValueLength}.");
            }
        }
    }

    /// <summary>A status change's reason: one line of at most <see cref="MaxReasonLength"/> characters, which the audit target quotes.</summary>
    public static void Reason(string? reason)
    {
        if (reason is { Length: > MaxReasonLength } || (reason?.Any(char.IsControl) ?? false))
        {
            Fail("reason", $"'reason' is one line of at most {MaxReasonLength} characters.");
        }
    }

    public static void Evaluation(double accuracy, string reportJson)
    {
        if (!double.IsFinite(accuracy) || accuracy is < 0 or > 1)
        {
            Fail("accuracy", "'accuracy' is a fraction in 0…1.");
        }

        try
        {
            using var report = JsonDocument.Parse(reportJson);
            if (report.RootElement.ValueKind != JsonValueKind.Object)
            {
                Fail("report", "'report' must be a JSON object.");
            }
        }
        catch (JsonException)
        {
            Fail("report", "'report' must be a JSON object.");
        }
    }

    public static MlpArchitecture Version(NewModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var architecture = new MlpArchitecture(version.Inputs, version.Hidden, version.Outputs);
        if (!architecture.IsValid)
        {
            Fail("inputs", $"'inputs', 'hidden' and 'outputs' must each lie in 1…{MlpArchitecture.MaxDimension}, not {architecture}.");
        }

        if (Array.IndexOf(Losses, version.Loss) < 0)
        {
            Fail("loss", $"'loss' is {string.Join(" or ", Losses)}.");
        }

        FiniteVector(version.Weights, architecture.ParameterCount, "weights", $" for {architecture} (W1 | b1 | W2 | b2)");
        if (version.Preprocessing is null)
        {
            Fail("preprocessing", "'preprocessing' is required: offsets and scales, one each per input.");
        }

        FiniteVector(version.Preprocessing.Offsets, version.Inputs, "preprocessing.offsets", "");
        FiniteVector(version.Preprocessing.Scales, version.Inputs, "preprocessing.scales", "");
        Labels(version.Classes, version.Outputs, "classes", "output");
        Labels(version.FeatureNames, version.Inputs, "featureNames", "input");
        Metrics(version.Metrics);
        Lineage(version.Lineage);
        return architecture;
    }

    private static void FiniteVector(float[]? values, int length, string field, string why)
    {
        if (values is null || values.Length != length)
        {
            Fail(field, $"'{field}' must hold {length} numbers{why}, not {values?.Length ?? 0}.");
        }

        var bad = Array.FindIndex(values, value => !float.IsFinite(value));
        if (bad >= 0)
        {
            Fail(field, $"'{field}'[{bad}] is not a finite number.");
        }
    }

    /// <summary>Class labels or feature names: none, or one distinct, non-empty name per output or input.</summary>
    private static void Labels(string[]? labels, int count, string field, string each)
    {
        if (labels is null || (labels.Length != 0 && labels.Length != count))
        {
            Fail(field, $"'{field}' holds one name per {each} ({count}), or none; not {labels?.Length ?? 0}.");
        }

        if (labels.Any(label => string.IsNullOrWhiteSpace(label) || label.Length > MaxLabelLength)
            || labels.Distinct(StringComparer.Ordinal).Count() != labels.Length)
        {
            Fail(field, $"'{field}' must be distinct, non-empty names of at most {MaxLabelLength} characters.");
        }
    }

    private static void Metrics(IReadOnlyDictionary<string, double>? metrics)
    {
        if (metrics is null || metrics.Count > MaxMetrics)
        {
            Fail("metrics", $"'metrics' maps at most {MaxMetrics} names to numbers.");
        }

        foreach (var (name, value) in metrics)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > MaxMetricNameLength || !double.IsFinite(value))
            {
                Fail("metrics", $"'metrics' maps names of 1 to {MaxMetricNameLength} characters to finite numbers ('{name}' does not).");
            }
        }
    }

    private static void Lineage(VersionLineage? lineage)
    {
        if (lineage is null || string.IsNullOrWhiteSpace(lineage.Technique) || lineage.Technique.Length > 32)
        {
            Fail("technique", "Every version says how it was made ('technique', 1 to 32 characters).");
        }

        if (lineage.DatasetSha256 is { } sha256 && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower)))
        {
            Fail("datasetSha256", "'datasetSha256' is 64 lower-case hex digits.");
        }

        if (lineage.ParentVersion is < 1)
        {
            Fail("parentVersion", "'parentVersion' names an earlier version of the same model (1 or more).");
        }

        if (lineage.Settings is { } settings
            && (settings.Count > MaxMetrics
                || settings.Any(setting => string.IsNullOrWhiteSpace(setting.Key) || setting.Key.Length > MaxMetricNameLength
                    || setting.Value is null || setting.Value.Length > MaxTagValueLength)))
        {
            Fail("settings", $"A technique's settings are at most {MaxMetrics} names of 1 to {MaxMetricNameLength} characters, each with a value of at most {MaxTagValueLength}.");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string field, string message) => throw new InvalidRegistryInputException(field, message);
}
