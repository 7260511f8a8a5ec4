namespace Galaxy.Grains.Tests;

/// <summary>Galaxy's wire terms and the kernels' own name the same things.</summary>
public sealed class KernelConversionsTests
{
    [Fact]
    public void A_shape_and_an_architecture_convert_both_ways()
    {
        var shape = new ModelShape(64, 32, 10);

        var architecture = shape.ToArchitecture();

        Assert.Equal(new MlpArchitecture(64, 32, 10), architecture);
        Assert.Equal(shape, architecture.ToShape());
    }

    [Theory]
    [InlineData(LossFunction.MeanSquaredError, LossKind.MeanSquaredError)]
    [InlineData(LossFunction.CrossEntropy, LossKind.CrossEntropy)]
    public void Each_loss_converts_both_ways(LossFunction loss, LossKind kernelLoss)
    {
        Assert.Equal(kernelLoss, loss.ToKernelLoss());
        Assert.Equal(loss, kernelLoss.ToLossFunction());
    }

    [Fact]
    public void A_learn_spec_becomes_the_kernels_settings_with_its_rate_and_clip()
    {
        var settings = new LearnSpec(LossFunction.CrossEntropy, 0.125f, 4).ToSettings();

        Assert.Equal(new LearnSettings(LossKind.CrossEntropy, 0.125f, 4), settings);
    }
}
