using Galaxy.Kernels;
using Microsoft.Extensions.Logging;

namespace Galaxy.Kernels.Tests;

public sealed class BackendSelectionTests
{
    [Fact]
    public void Auto_picks_the_first_available_of_cuda_opencl_simd_and_logs_it()
    {
        var logger = new RecordingLogger();
        using var backend = ComputeBackends.Create(new ComputeOptions(), logger);

        var expected = ComputeBackends.AutoOrder.First(TestBackends.IsAvailable);
        Assert.Equal(expected, backend.Kind);
        Assert.StartsWith($"{expected}: ", backend.Name, StringComparison.Ordinal);
        Assert.Contains(logger.Messages, message => message.Contains(backend.Name, StringComparison.Ordinal));
    }

    [Theory]
    [BackendData(ComputeBackendKind.Simd)]
    [BackendData(ComputeBackendKind.IlgpuCpu)]
    [BackendData(ComputeBackendKind.Cuda)]
    [BackendData(ComputeBackendKind.OpenCL)]
    public void A_configured_backend_is_the_one_you_get(ComputeBackendKind kind)
    {
        using var backend = ComputeBackends.Create(new ComputeOptions { Backend = kind });

        Assert.Equal(kind, backend.Kind);
    }

    [Fact]
    public void A_configured_backend_without_a_device_fails_clearly()
    {
        var missing = new[] { ComputeBackendKind.Cuda, ComputeBackendKind.OpenCL }.Where(kind => !TestBackends.IsAvailable(kind));
        foreach (var kind in missing)
        {
            var exception = Assert.Throws<InvalidOperationException>(() => ComputeBackends.Create(new ComputeOptions { Backend = kind }));
            Assert.Contains($"The {kind} compute backend was requested", exception.Message, StringComparison.Ordinal);
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
