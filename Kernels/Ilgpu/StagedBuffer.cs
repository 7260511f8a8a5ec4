using ILGPU;
using ILGPU.Runtime;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// A device buffer with a page-locked host twin of the same capacity, allocated once: batches are copied into the
/// pinned twin and DMA'd from there, so a batch allocates nothing and the copy engine never waits on pageable memory.
/// Used only on the executor thread, and every use ends with the stream synchronised before the twin is reused.
/// </summary>
internal sealed class StagedBuffer<T>(Accelerator accelerator, long capacity) : IDisposable
    where T : unmanaged
{
    private readonly PageLockedArray1D<T> _host = accelerator.AllocatePageLocked1D<T>(capacity);
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _device = accelerator.Allocate1D<T>(capacity);

    /// <summary>The first <paramref name="length"/> device elements, for a kernel to write.</summary>
    public ArrayView<T> View(int length) => _device.View.BaseView.SubView(0, length);

    /// <summary>Copies <paramref name="data"/> to the device (queued on the stream) and returns its device view.</summary>
    public ArrayView<T> Upload(AcceleratorStream stream, ReadOnlySpan<T> data)
    {
        data.CopyTo(_host.Span);
        var view = View(data.Length);
        view.CopyFrom(stream, _host.ArrayView.SubView(0, data.Length));
        return view;
    }

    /// <summary>Copies the first destination.Length device elements back, waiting for the stream to drain first.</summary>
    public void Download(AcceleratorStream stream, Span<T> destination)
    {
        View(destination.Length).CopyTo(stream, _host.ArrayView.SubView(0, destination.Length));
        stream.Synchronize();
        _host.Span[..destination.Length].CopyTo(destination);
    }

    public void Dispose()
    {
        _device.Dispose();
        _host.Dispose();
    }
}
