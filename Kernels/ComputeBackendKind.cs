namespace Galaxy.Kernels;

/// <summary>Which compute backend runs the kernels. <see cref="Auto"/> picks CUDA, then OpenCL, then SIMD.</summary>
public enum ComputeBackendKind
{
    /// <summary>The first available of <see cref="Cuda"/>, <see cref="OpenCL"/>, <see cref="Simd"/>.</summary>
    Auto,

    /// <summary>ILGPU on an NVIDIA GPU; parameter tables live in device memory.</summary>
    Cuda,

    /// <summary>ILGPU on an OpenCL device (a GPU); parameter tables live in device memory.</summary>
    OpenCL,

    /// <summary>
    /// ILGPU's CPU accelerator: runs the very GPU kernels on emulated threads. Slow; it is the correctness stand-in
    /// for the GPU in CI, never a production choice.
    /// </summary>
    IlgpuCpu,

    /// <summary>Vectorised C# on all cores (System.Numerics.Tensors, <c>Vector256</c>): the fast path without a GPU.</summary>
    Simd,
}
