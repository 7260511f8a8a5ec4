using System.Collections.Concurrent;

namespace Galaxy.Kernels.Ilgpu;

/// <summary>
/// The one thread that makes every ILGPU call for an accelerator. CUDA binds a context to the thread that made it, so
/// the accelerator is created, used and disposed here; callers queue work and await a task. Work runs in arrival order,
/// one item at a time, which also serialises use of the shared staging buffers.
/// </summary>
internal sealed class AcceleratorExecutor : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread _thread;

    public AcceleratorExecutor(string name)
    {
        _thread = new Thread(RunQueue) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public Task<T> RunAsync<T>(Func<T> work)
    {
        // Continuations must not run on this thread: they would hold up every other caller's kernels.
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        });
        return completion.Task;
    }

    public Task RunAsync(Action work) => RunAsync(() =>
    {
        work();
        return true;
    });

    /// <summary>Runs work on the executor and blocks until it is done: for construction and disposal only.</summary>
    public T Run<T>(Func<T> work) => RunAsync(work).GetAwaiter().GetResult();

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private void RunQueue()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            work();
        }
    }
}
