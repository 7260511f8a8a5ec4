using ILGPU;
using ILGPU.Runtime;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>Every kernel compiled and loaded once per accelerator; launches reuse these delegates.</summary>
internal sealed class KernelLaunchers(Accelerator accelerator)
{
    public Action<KernelConfig, MlpArchitecture, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>> ForwardRows { get; } =
        accelerator.LoadStreamKernel<MlpArchitecture, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>>(
            ForwardKernels.ForwardRows);

    public Action<KernelConfig, MlpArchitecture, ArrayView<float>, int, ArrayView<float>, ArrayView<float>> ForwardRange { get; } =
        accelerator.LoadStreamKernel<MlpArchitecture, ArrayView<float>, int, ArrayView<float>, ArrayView<float>>(
            ForwardKernels.ForwardRange);

    public Action<KernelConfig, MlpArchitecture, LearnKernelSettings, ArrayView<float>, ArrayView<uint>, ArrayView<int>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>> LearnSegments { get; } =
        accelerator.LoadStreamKernel<MlpArchitecture, LearnKernelSettings, ArrayView<float>, ArrayView<uint>, ArrayView<int>,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>>(LearnKernel.LearnSegments);

    public Action<KernelConfig, MlpArchitecture, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>>
        QuantizedForwardRows { get; } =
        accelerator.LoadStreamKernel<MlpArchitecture, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>>(
            QuantizedForwardKernel.ForwardRows);

    public Action<KernelConfig, MlpArchitecture, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, ArrayView<float>>
        QuantizedForwardRange { get; } =
        accelerator.LoadStreamKernel<MlpArchitecture, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, ArrayView<float>>(
            QuantizedForwardKernel.ForwardRange);

    public Action<KernelConfig, MlpArchitecture, ArrayView<float>, ArrayView<uint>, ArrayView<int>, ArrayView<uint>> ApplyMask { get; } =
        accelerator.LoadStreamKernel<MlpArchitecture, ArrayView<float>, ArrayView<uint>, ArrayView<int>, ArrayView<uint>>(
            PruningKernel.ApplyMask);
}
