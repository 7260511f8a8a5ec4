using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Galaxy.Gateway.Endpoints;

/// <summary>
/// The gateway's checks on what callers send: ids that parse and exist, vectors of the right length with finite
/// values, sane timeouts. A request that fails one never reaches a grain.
/// </summary>
internal static class RequestChecks
{
    public const int MaxTimeoutMs = 60_000;

    /// <summary>The widest vector a unit model takes or gives (<c>MlpArchitecture.MaxDimension</c>).</summary>
    public const int MaxVectorLength = 256;

    public static ProblemHttpResult? UnitId(string raw, GalaxyTopology topology, out long unitId)
    {
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out unitId))
        {
            return Problems.InvalidId("unit", raw);
        }

        return topology.ContainsUnit(unitId) ? null : Problems.NotFound("unit", unitId, topology.UnitCount);
    }

    public static ProblemHttpResult? LabscapeId(string raw, GalaxyTopology topology, out int labscapeId)
    {
        labscapeId = -1;
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return Problems.InvalidId("labscape", raw);
        }

        if (!topology.ContainsLabscape(id))
        {
            return Problems.NotFound("labscape", id, topology.Labscapes);
        }

        labscapeId = (int)id;
        return null;
    }

    /// <summary>
    /// A feature or target vector whose exact width only the unit knows (the model its labscape serves it): required,
    /// 1…256 values, all finite. The unit then checks the width.
    /// </summary>
    public static ProblemHttpResult? Vector(float[]? values, string name)
    {
        if (values is null || values.Length is 0 or > MaxVectorLength)
        {
            return Problems.InvalidInput($"'{name}' is required: 1…{MaxVectorLength} numbers, as many as the unit's model takes.");
        }

        var bad = Array.FindIndex(values, value => !float.IsFinite(value));
        return bad < 0 ? null : Problems.InvalidInput($"'{name}'[{bad}] is not a finite number.");
    }

    /// <summary>
    /// A learn's optional <c>If-Match</c>: one strong entity tag naming the unit revision the step must start from
    /// (as the unit's <c>ETag</c> gives it). <c>*</c> or no header means any revision.
    /// </summary>
    public static ProblemHttpResult? IfMatchRevision(HttpRequest request, out long? revision)
    {
        revision = null;
        if (request.Headers.IfMatch.Count == 0)
        {
            return null;
        }

        var tags = request.GetTypedHeaders().IfMatch;
        if (tags.Count == 1 && tags[0].Equals(EntityTagHeaderValue.Any))
        {
            return null;
        }

        if (tags.Count != 1 || tags[0].IsWeak || !UnitETag.TryParse(tags[0].Tag.Value, out var parsed))
        {
            return Problems.Create(
                StatusCodes.Status400BadRequest, "invalid-if-match", "Invalid If-Match",
                "If-Match takes one strong entity tag, the unit's revision as its ETag gives it (for example \"17\"), or *.");
        }

        revision = parsed;
        return null;
    }

    public static ProblemHttpResult? Timeout(int? timeoutMs, out TimeSpan? timeout)
    {
        timeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        return timeoutMs is null or (> 0 and <= MaxTimeoutMs)
            ? null
            : Problems.InvalidInput($"'timeoutMs' must lie in 1…{MaxTimeoutMs}.");
    }
}
