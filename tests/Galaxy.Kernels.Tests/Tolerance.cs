namespace Galaxy.Kernels.Tests;

/// <summary>How close float32 backends must come to the double-precision reference.</summary>
internal static class Tolerance
{
    /// <summary>
    /// float32 sums of up to 256 terms of size ≤ ~1 carry ~1e-5 of relative rounding; the bound scales with the
    /// magnitude involved so large dimensions are not held to small ones' error.
    /// </summary>
    public static void Close(double expected, double actual, double scale, string what)
    {
        var allowed = 2e-5 * Math.Max(1.0, scale);
        Assert.True(
            Math.Abs(expected - actual) <= allowed,
            $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(expected - actual):E2} > {allowed:E2}).");
    }
}
