namespace Galaxy.Grains;

/// <summary>A unit model's shape: inputs (D), tanh hidden units (H), linear outputs (K).</summary>
[GenerateSerializer, Immutable, Alias("galaxy.model-shape")]
public sealed record ModelShape(
    [property: Id(0)] int Inputs,
    [property: Id(1)] int Hidden,
    [property: Id(2)] int Outputs)
{
    /// <summary>W1, b1, W2 and b2 packed in one buffer.</summary>
    public int ParameterCount => Hidden * Inputs + Hidden + Outputs * Hidden + Outputs;
}
