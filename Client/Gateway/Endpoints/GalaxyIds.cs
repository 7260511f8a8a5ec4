using System.Globalization;

namespace Galaxy.Gateway.Endpoints;

/// <summary>Parses route ids and checks them against the topology, so a bad id never reaches a grain.</summary>
internal static class GalaxyIds
{
    public static bool TryParse(string raw, out long id) =>
        long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
