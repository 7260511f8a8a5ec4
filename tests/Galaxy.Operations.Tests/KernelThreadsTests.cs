using Galaxy.Bench;

namespace Galaxy.Operations.Tests;

/// <summary>
/// <c>./galaxy bench gateway</c> prints beside each round how long the kernel's own threads ran, since on this project's
/// machines a kernel thread holding a core is the predicts' tail (issue #21).
/// </summary>
public sealed class KernelThreadsTests
{
    [Fact]
    public void The_kernel_s_threads_are_read_and_no_process_of_ours_among_them()
    {
        Assert.True(OperatingSystem.IsLinux(), "the benchmarks and their readings are Linux's");

        var threads = KernelThreads.Read();

        // kthreadd, which starts every other kernel thread, is PID 2.
        Assert.Equal("kthreadd", threads[2].Name);
        Assert.DoesNotContain(Environment.ProcessId, threads.Keys);
        Assert.All(threads.Values, thread => Assert.True(thread.RanNanoseconds >= 0));
    }

    [Fact]
    public void Between_two_readings_each_thread_counts_what_it_ran_since_and_a_new_one_from_zero()
    {
        var before = new Dictionary<int, KernelThread> { [79] = new("kdamond.0", 1_000_000_000), [15] = new("rcu_preempt", 50_000_000) };
        var after = new Dictionary<int, KernelThread>
        {
            [79] = new("kdamond.0", 1_180_000_000),
            [15] = new("rcu_preempt", 52_000_000),
            [4242] = new("kworker/1:2", 7_000_000),
        };

        var run = KernelThreads.Between(before, after);

        Assert.Equal(180 + 2 + 7, run.TotalMs, precision: 6);
        Assert.Equal("kdamond.0", run.Busiest);
        Assert.Equal(180, run.BusiestMs, precision: 6);
        Assert.Equal("kernel threads ran 189 ms (kdamond.0 180 ms)", run.ToString());
    }

    [Fact]
    public void Between_two_readings_in_which_no_kernel_thread_ran_is_nothing()
    {
        var reading = new Dictionary<int, KernelThread> { [79] = new("kdamond.0", 1_000_000_000) };

        Assert.Equal(new KernelThreadsRun(0, "none", 0), KernelThreads.Between(reading, reading));
    }
}
