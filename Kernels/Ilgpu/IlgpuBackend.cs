using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// An ILGPU accelerator (CUDA, OpenCL or the CPU emulator) with its dedicated executor thread, its kernels loaded
/// once, and its pinned staging buffers. Every ILGPU call for it runs on <see cref="Executor"/>.
/// </summary>
internal sealed class IlgpuBackend : IComputeBackend
{
    private readonly Context _context;

    private IlgpuBackend(ComputeBackendKind kind, AcceleratorExecutor executor, Context context, Accelerator accelerator, int maxRows)
    {
        Kind = kind;
        Executor = executor;
        _context = context;
        Accelerator = accelerator;
        Name = $"{kind}: {accelerator.Name}";
        MaxBatchRows = maxRows;
        GroupSize = Math.Min(Math.Min(accelerator.WarpSize, accelerator.MaxNumThreadsPerGroup), LearnKernel.MaxGroupSize);
        Kernels = new KernelLaunchers(accelerator);
        Staging = new StagingBuffers(accelerator, maxRows);
    }

    public ComputeBackendKind Kind { get; }

    public string Name { get; }

    public int MaxBatchRows { get; }

    internal AcceleratorExecutor Executor { get; }

    internal Accelerator Accelerator { get; }

    /// <summary>Threads per group: one warp, so a row's threads never wait on another warp at a barrier.</summary>
    internal int GroupSize { get; }

    internal KernelLaunchers Kernels { get; }

    internal StagingBuffers Staging { get; }

    internal AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>Opens the first device of <paramref name="kind"/>, or returns null and why there is none.</summary>
    public static IlgpuBackend? TryCreate(ComputeBackendKind kind, ComputeOptions options, out string unavailableReason)
    {
        var executor = new AcceleratorExecutor($"galaxy-{kind}");
        try
        {
            var (backend, reason) = executor.Run(() => Open(kind, executor, options.MaxBatchRows));
            unavailableReason = reason;
            if (backend is null)
            {
                executor.Dispose();
            }

            return backend;
        }
        catch
        {
            executor.Dispose();
            throw;
        }
    }

    public IParameterTable CreateTable(MlpArchitecture architecture, int units)
    {
        TableSize.EnsureValid(architecture, units);
        return Executor.Run(() => new IlgpuParameterTable(this, architecture, units));
    }

    public IQuantizedTable CreateQuantizedTable(MlpArchitecture architecture, int units)
    {
        TableSize.EnsureValidQuantized(architecture, units);
        return Executor.Run(() => new IlgpuQuantizedTable(this, architecture, units));
    }

    public void Dispose()
    {
        Executor.Run(() =>
        {
            Staging.Dispose();
            Accelerator.Dispose();
            _context.Dispose();
            return true;
        });
        Executor.Dispose();
    }

    private static (IlgpuBackend? Backend, string Reason) Open(ComputeBackendKind kind, AcceleratorExecutor executor, int maxRows)
    {
        Context context;
        try
        {
            context = Context.Create(builder => Register(builder, kind).EnableAlgorithms());
        }
        catch (Exception exception) when (exception is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            return (null, $"its driver could not be loaded ({exception.Message})");
        }

        var device = context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorTypeOf(kind));
        if (device is null)
        {
            context.Dispose();
            return (null, "no device of that kind is present");
        }

        var accelerator = device.CreateAccelerator(context);
        return (new IlgpuBackend(kind, executor, context, accelerator, maxRows), "");
    }

    private static Context.Builder Register(Context.Builder builder, ComputeBackendKind kind) => kind switch
    {
        ComputeBackendKind.Cuda => builder.Cuda(),
        ComputeBackendKind.OpenCL => builder.OpenCL(device => device.DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU),

        // Warps of 4 threads, one warp per group: the emulator runs every group thread as an OS thread with real
        // barriers, so wider groups only cost time; 4 still exercises the kernels' strided, multi-thread paths.
        ComputeBackendKind.IlgpuCpu => builder.CPU(new CPUDevice(4, 1, Environment.ProcessorCount)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an ILGPU backend."),
    };

    private static AcceleratorType AcceleratorTypeOf(ComputeBackendKind kind) => kind switch
    {
        ComputeBackendKind.Cuda => AcceleratorType.Cuda,
        ComputeBackendKind.OpenCL => AcceleratorType.OpenCL,
        _ => AcceleratorType.CPU,
    };
}
