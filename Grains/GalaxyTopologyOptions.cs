using System.ComponentModel.DataAnnotations;

namespace Galaxy.Grains;

/// <summary>The galaxy's size and unit architecture, bound from <c>Galaxy:Topology</c>.</summary>
public sealed class GalaxyTopologyOptions
{
    public const string Section = "Galaxy:Topology";

    [Range(1, 65_536)]
    public int Labscapes { get; set; } = 256;

    [Range(1, 65_536)]
    public int UnitsPerLabscape { get; set; } = 4096;

    [Range(1, MlpArchitecture.MaxDimension)]
    public int Inputs { get; set; } = MlpArchitecture.Default.Inputs;

    [Range(1, MlpArchitecture.MaxDimension)]
    public int Hidden { get; set; } = MlpArchitecture.Default.Hidden;

    [Range(1, MlpArchitecture.MaxDimension)]
    public int Outputs { get; set; } = MlpArchitecture.Default.Outputs;

    public GalaxyTopology ToTopology() => new(Labscapes, UnitsPerLabscape, new ModelShape(Inputs, Hidden, Outputs));
}
