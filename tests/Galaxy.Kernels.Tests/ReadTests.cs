using Galaxy.Kernels;

namespace Galaxy.Kernels.Tests;

public sealed class ReadTests
{
    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public async Task A_gather_read_returns_each_listed_unit_in_list_order_repeats_included(ComputeBackendKind kind)
    {
        var data = new TestData(61);
        var architecture = new MlpArchitecture(5, 4, 3);
        var (table, parameters) = data.Table(TestBackends.Get(kind), architecture, units: 6);
        using (table)
        {
            int[] slots = [4, 0, 4, 5];
            var p = architecture.ParameterCount;
            var gathered = new float[slots.Length * p];

            await table.ReadUnitsAsync(slots, gathered);

            for (var row = 0; row < slots.Length; row++)
            {
                Assert.Equal(parameters.AsSpan(slots[row] * p, p).ToArray(), gathered.AsSpan(row * p, p).ToArray());
            }
        }
    }
}
