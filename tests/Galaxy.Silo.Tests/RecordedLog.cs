using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Galaxy.Silo.Tests;

/// <summary>
/// The lines a service logs at <paramref name="minimum"/> or above, with their exceptions, in order: a test awaits
/// each as it comes.
/// </summary>
internal sealed class RecordedLog<T>(LogLevel minimum) : ILogger<T>
{
    private readonly Channel<(string Message, Exception? Fault)> _lines = Channel.CreateUnbounded<(string, Exception?)>();

    /// <summary>The next line; fails the test when none comes within half a minute.</summary>
    public async Task<(string Message, Exception? Fault)> NextAsync() =>
        await _lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _lines.Writer.TryWrite((formatter(state, exception), exception));
        }
    }
}
