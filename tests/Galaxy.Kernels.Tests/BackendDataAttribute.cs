using System.Reflection;
using Galaxy.Kernels;
using Xunit.Sdk;

namespace Galaxy.Kernels.Tests;

/// <summary>
/// One theory row per backend kind. A kind this machine lacks (CUDA, OpenCL without a GPU) becomes a skipped row
/// that says why, so the GPU tests exist everywhere and run wherever a device is.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class BackendDataAttribute : DataAttribute
{
    public BackendDataAttribute(ComputeBackendKind kind)
    {
        Kind = kind;
        if (!TestBackends.IsAvailable(kind))
        {
            Skip = $"No {kind} device on this machine.";
        }
    }

    public ComputeBackendKind Kind { get; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Kind]];
}
