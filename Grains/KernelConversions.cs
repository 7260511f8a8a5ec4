namespace Galaxy.Grains;

internal static class ModelShapes
{
    public static MlpArchitecture ToArchitecture(this ModelShape shape) => new(shape.Inputs, shape.Hidden, shape.Outputs);
}
