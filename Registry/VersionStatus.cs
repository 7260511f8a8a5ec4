using System.Text.Json.Serialization;

namespace Galaxy.Registry;

/// <summary>
/// Where a model version is in its life: <c>PENDING → APPROVED → DEPLOYED → ROLLED_BACK | RETIRED</c>
/// (<see cref="VersionTransitions"/>). On the wire and in the database as the upper-case names.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<VersionStatus>))]
public enum VersionStatus
{
    [JsonStringEnumMemberName("PENDING")]
    Pending,

    [JsonStringEnumMemberName("APPROVED")]
    Approved,

    [JsonStringEnumMemberName("DEPLOYED")]
    Deployed,

    [JsonStringEnumMemberName("ROLLED_BACK")]
    RolledBack,

    [JsonStringEnumMemberName("RETIRED")]
    Retired,
}

public static class VersionStatusNames
{
    private static readonly string[] Names = ["PENDING", "APPROVED", "DEPLOYED", "ROLLED_BACK", "RETIRED"];

    public static string ToWire(this VersionStatus status) => Names[(int)status];

    /// <summary>The status a wire name spells, ignoring case (<c>approved</c>, <c>ROLLED_BACK</c>).</summary>
    public static bool TryParse(string? name, out VersionStatus status)
    {
        var index = Array.FindIndex(Names, candidate => string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase));
        status = (VersionStatus)Math.Max(index, 0);
        return index >= 0;
    }
}
