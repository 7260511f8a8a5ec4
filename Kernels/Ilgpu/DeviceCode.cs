namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// Why the kernels and the members they call are marked <c>[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]</c>.
/// </summary>
internal static class DeviceCode
{
    /// <summary>
    /// ILGPU compiles a kernel from its IL, with every method it calls. Coverlet, measuring line coverage, rewrites that
    /// IL with hit counters in a static array that device code cannot reach, and the kernel no longer compiles. The
    /// reference tests (tests/Galaxy.Kernels.Tests) check every kernel against <see cref="ReferenceMlp"/> on every
    /// backend instead.
    /// </summary>
    public const string Why = "ILGPU device code: coverlet's hit counters in its IL break the kernel's compilation";
}
