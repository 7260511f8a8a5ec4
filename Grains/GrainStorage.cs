namespace Galaxy.Grains;

/// <summary>Names of the grain storage providers the grains use; the silo registers them.</summary>
public static class GrainStorage
{
    /// <summary>Unit and labscape state, in PostgreSQL.</summary>
    public const string Galaxy = "galaxy";
}
