using Galaxy.Kernels.Ilgpu;
using Galaxy.Kernels.Simd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Galaxy.Kernels;

/// <summary>The entry point: chooses, opens and logs the compute backend.</summary>
public static partial class ComputeBackends
{
    /// <summary>The order <see cref="ComputeBackendKind.Auto"/> tries; SIMD is always there.</summary>
    public static IReadOnlyList<ComputeBackendKind> AutoOrder { get; } =
        [ComputeBackendKind.Cuda, ComputeBackendKind.OpenCL, ComputeBackendKind.Simd];

    /// <summary>
    /// Opens the backend <paramref name="options"/> ask for: with <see cref="ComputeBackendKind.Auto"/>, the first of
    /// CUDA, OpenCL and SIMD that this machine has. Logs the choice.
    /// </summary>
    /// <exception cref="InvalidOperationException">An explicitly requested backend has no device here.</exception>
    public static IComputeBackend Create(ComputeOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        if (options.Backend != ComputeBackendKind.Auto)
        {
            var backend = TryCreate(options.Backend, options, out var reason)
                ?? throw new InvalidOperationException($"The {options.Backend} compute backend was requested, but {reason}.");
            LogChosen(logger, backend.Name, "configured");
            return backend;
        }

        foreach (var kind in AutoOrder)
        {
            var backend = TryCreate(kind, options, out var reason);
            if (backend is not null)
            {
                LogChosen(logger, backend.Name, "automatic");
                return backend;
            }

            LogUnavailable(logger, kind, reason);
        }

        throw new InvalidOperationException("Unreachable: the SIMD backend is always available.");
    }

    /// <summary>Whether this machine can open <paramref name="kind"/> (opens and closes it to find out).</summary>
    public static bool IsAvailable(ComputeBackendKind kind)
    {
        if (kind == ComputeBackendKind.Auto)
        {
            return true;
        }

        using var backend = TryCreate(kind, new ComputeOptions { Backend = kind, MaxBatchRows = 1 }, out _);
        return backend is not null;
    }

    private static IComputeBackend? TryCreate(ComputeBackendKind kind, ComputeOptions options, out string unavailableReason)
    {
        unavailableReason = "";
        return kind == ComputeBackendKind.Simd
            ? new SimdBackend(options)
            : IlgpuBackend.TryCreate(kind, options, out unavailableReason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compute backend: {Backend} ({Selection} choice)")]
    private static partial void LogChosen(ILogger logger, string backend, string selection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compute backend {Kind} unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, ComputeBackendKind kind, string reason);
}
