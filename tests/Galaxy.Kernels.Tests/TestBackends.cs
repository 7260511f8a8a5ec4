using System.Collections.Concurrent;
using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

/// <summary>One backend per kind for the whole test run: opening an accelerator and compiling its kernels takes a while.</summary>
internal static class TestBackends
{
    private static readonly ConcurrentDictionary<ComputeBackendKind, Lazy<bool>> Availability = new();
    private static readonly ConcurrentDictionary<ComputeBackendKind, Lazy<IComputeBackend>> Backends = new();

    public static bool IsAvailable(ComputeBackendKind kind) =>
        Availability.GetOrAdd(kind, k => new Lazy<bool>(() => ComputeBackends.IsAvailable(k))).Value;

    public static IComputeBackend Get(ComputeBackendKind kind) =>
        Backends.GetOrAdd(kind, k => new Lazy<IComputeBackend>(() => ComputeBackends.Create(new ComputeOptions { Backend = k }))).Value;
}
