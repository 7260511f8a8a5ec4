using System.Globalization;

namespace Galaxy.Gateway.Endpoints;

/// <summary>
/// A unit's entity tag is its parameter revision, quoted: what <c>GET /v1/units/{id}</c> and a learn answer with, and
/// what a learn's <c>If-Match</c> names.
/// </summary>
internal static class UnitETag
{
    public static string For(long revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    public static bool TryParse(string? quoted, out long revision)
    {
        revision = 0;
        return quoted is { Length: > 2 } && quoted[0] == '"' && quoted[^1] == '"'
            && long.TryParse(quoted.AsSpan(1, quoted.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out revision);
    }
}
