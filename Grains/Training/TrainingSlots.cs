namespace Galaxy.Grains.Training;

/// <summary>
/// The silo's training slots (<see cref="TrainingOptions.MaxConcurrentJobsPerSilo"/>): a job holds one while it trains,
/// so jobs on one silo queue for its compute instead of slicing it.
/// </summary>
public sealed class TrainingSlots(IOptions<TrainingOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentJobsPerSilo);

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
