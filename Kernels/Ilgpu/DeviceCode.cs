namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// Why the kernels and the members they call are marked <c>[ExcludeFromCodeCoverage(Justification = DeviceCode.Why)]</c>
/// and sit under a <c>// Stryker disable</c> comment: a tool that rewrites their IL breaks their compilation for the
/// device. Stryker.NET's mutant switch is a static field that is not read-only, which ILGPU refuses to load, and an
/// ILGPU backend that cannot be opened fails every backend theory, the SIMD rows included.
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
