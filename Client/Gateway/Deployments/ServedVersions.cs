using Galaxy.Registry;

namespace Galaxy.Gateway.Deployments;

public static class ServedVersions
{
    /// <summary>A registry version as labscapes serve it.</summary>
    public static ServedVersion ToServed(this ModelVersion version) => new(
        version.ModelId,
        version.ModelName,
        version.Version,
        new ModelShape(version.Inputs, version.Hidden, version.Outputs),
        Enum.Parse<LossFunction>(version.Loss),
        version.Classes)
    {
        Int8 = version.Lineage.ServesInt8,
    };
}
