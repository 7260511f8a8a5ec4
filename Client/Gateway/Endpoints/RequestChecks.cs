using System.Globalization;

namespace Galaxy.Gateway.Endpoints;

/// <summary>
/// The gateway's checks on what callers send: ids that parse and exist, vectors of the right length with finite
/// values, sane timeouts. A request that fails one never reaches a grain.
/// </summary>
internal static class RequestChecks
{
    public const int MaxTimeoutMs = 60_000;

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

    public static ProblemHttpResult? Vector(float[]? values, int length, string name)
    {
        if (values is null)
        {
            return Problems.InvalidInput($"'{name}' is required: {length} numbers.");
        }

        if (values.Length != length)
        {
            return Problems.InvalidInput($"'{name}' must hold {length} numbers, not {values.Length}.");
        }

        var bad = Array.FindIndex(values, value => !float.IsFinite(value));
        return bad < 0 ? null : Problems.InvalidInput($"'{name}'[{bad}] is not a finite number.");
    }

    public static ProblemHttpResult? Timeout(int? timeoutMs, out TimeSpan? timeout)
    {
        timeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
        return timeoutMs is null or (> 0 and <= MaxTimeoutMs)
            ? null
            : Problems.InvalidInput($"'timeoutMs' must lie in 1…{MaxTimeoutMs}.");
    }
}
