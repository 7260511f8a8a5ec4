using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

/// <summary>The reference itself: its analytic gradient against central finite differences, all in double.</summary>
public sealed class ReferenceMlpTests
{
    [Theory]
    [InlineData(LossKind.MeanSquaredError, 1)]
    [InlineData(LossKind.MeanSquaredError, 2)]
    [InlineData(LossKind.CrossEntropy, 3)]
    [InlineData(LossKind.CrossEntropy, 4)]
    public void The_analytic_gradient_matches_finite_differences(LossKind loss, int seed)
    {
        var data = new TestData(seed);
        var a = data.Architecture(maxDimension: 12);
        var p = ReferenceMlp.ToDouble(data.Floats(a.ParameterCount, 0.8f));
        var x = ReferenceMlp.ToDouble(data.Floats(a.Inputs));
        var t = ReferenceMlp.ToDouble(loss == LossKind.CrossEntropy ? data.Probabilities(1, a.Outputs) : data.Floats(a.Outputs));
        var gradient = new double[a.ParameterCount];
        ReferenceMlp.Gradient(a, loss, p, x, t, gradient);

        const double h = 1e-6;
        for (var i = 0; i < p.Length; i++)
        {
            var saved = p[i];
            p[i] = saved + h;
            var above = ReferenceMlp.Loss(loss, ReferenceMlp.Forward(a, p, x), t);
            p[i] = saved - h;
            var below = ReferenceMlp.Loss(loss, ReferenceMlp.Forward(a, p, x), t);
            p[i] = saved;
            var numeric = (above - below) / (2 * h);
            Assert.True(
                Math.Abs(numeric - gradient[i]) <= 1e-7 + 1e-6 * Math.Abs(numeric),
                $"{a} parameter {i}: finite difference {numeric:R}, analytic {gradient[i]:R}.");
        }
    }

    [Fact]
    public void A_clipped_step_moves_the_parameters_by_exactly_rate_times_clip()
    {
        var data = new TestData(5);
        var a = new MlpArchitecture(4, 5, 3);
        var p = data.Floats(a.ParameterCount);
        var before = p.ToArray();
        var settings = new LearnSettings(LossKind.MeanSquaredError, LearningRate: 0.5f, GradientClip: 1e-3f);

        var loss = ReferenceMlp.LearnStep(a, p, data.Floats(a.Inputs), data.Floats(a.Outputs, 10f), settings);

        Assert.True(double.IsFinite(loss));
        var moved = Math.Sqrt(before.Zip(p, (b, q) => (double)(b - q) * (b - q)).Sum());
        Assert.Equal(0.5 * 1e-3, moved, 1e-6); // the float parameters round each component by ≤ 3e-8
    }

    [Fact]
    public void A_step_that_would_overflow_is_rejected_and_leaves_the_parameters_alone()
    {
        var data = new TestData(6);
        var a = new MlpArchitecture(2, 3, 2);
        var p = data.Floats(a.ParameterCount);
        var before = p.ToArray();

        var loss = ReferenceMlp.LearnStep(
            a, p, data.Floats(a.Inputs), [10f, -10f], new LearnSettings(LossKind.MeanSquaredError, LearningRate: 3e38f));

        Assert.True(double.IsNaN(loss));
        Assert.Equal(before, p);
    }
}
