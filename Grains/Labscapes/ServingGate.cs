namespace Galaxy.Grains.Labscapes;

/// <summary>
/// Orders the changes of a labscape's engine: learns and weight restores enter together (shared); a switch of what the
/// labscape serves enters alone, once the shared ones in flight have left, and holds new ones back until it is done.
/// So a switch rebuilds the served models from units' weights that no step is changing at that moment. Predicts do not
/// enter: they are answered by the models in place when they arrive.
/// </summary>
internal sealed class ServingGate
{
    private readonly SemaphoreSlim _switches = new(1, 1);
    private readonly Lock _lock = new();
    private int _inside;
    private TaskCompletionSource? _closed;
    private TaskCompletionSource? _empty;

    public async Task<Shared> EnterSharedAsync()
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_closed is null)
                {
                    _inside++;
                    return new Shared(this);
                }

                wait = _closed.Task;
            }

            await wait;
        }
    }

    /// <summary>Runs <paramref name="action"/> with nothing shared inside, new entrants waiting.</summary>
    public async Task ExclusiveAsync(Func<Task> action)
    {
        await _switches.WaitAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task empty;
        lock (_lock)
        {
            _closed = closed;
            _empty = _inside == 0 ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            empty = _empty?.Task ?? Task.CompletedTask;
        }

        try
        {
            await empty;
            await action();
        }
        finally
        {
            lock (_lock)
            {
                _closed = null;
                _empty = null;
            }

            closed.TrySetResult();
            _switches.Release();
        }
    }

    private void Leave()
    {
        TaskCompletionSource? empty;
        lock (_lock)
        {
            _inside--;
            empty = _inside == 0 ? _empty : null;
        }

        empty?.TrySetResult();
    }

    /// <summary>A shared entry; dispose to leave.</summary>
    public readonly struct Shared(ServingGate gate) : IDisposable
    {
        public void Dispose() => gate.Leave();
    }
}
