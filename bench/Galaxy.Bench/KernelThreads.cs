using System.Globalization;

namespace Galaxy.Bench;

/// <summary>
/// How long the kernel's own threads (every task flagged <c>PF_KTHREAD</c>: reclaim, RCU, soft interrupts, DAMON's
/// <c>kdamond</c>) have run so far, from <c>/proc/PID/stat</c> and <c>/proc/PID/schedstat</c>. No process of ours shows
/// this time, and on this project's machines it decides the tail: their kernel does not preempt (<c>PREEMPT_NONE</c>),
/// so a kernel thread keeps its core until it yields, and <c>kdamond.0</c> takes 11–18 ms of one of the two in bursts
/// about twice a second, in slices of up to 13–17 ms (BENCHMARKS.md, "The stalls are the kernel's").
/// </summary>
public static class KernelThreads
{
    private const long KernelThreadFlag = 0x00200000; // PF_KTHREAD in include/linux/sched.h

    /// <summary>Every kernel thread now, by process id; empty where there is no <c>/proc</c> (not Linux).</summary>
    public static IReadOnlyDictionary<int, KernelThread> Read()
    {
        var threads = new Dictionary<int, KernelThread>();
        if (!Directory.Exists("/proc"))
        {
            return threads;
        }

        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                // PID (comm) state ppid …: comm may hold spaces and parentheses, so the fields are counted from the last ')'.
                var (open, close) = (stat.IndexOf('('), stat.LastIndexOf(')'));
                var flags = long.Parse(stat[(close + 2)..].Split(' ')[6], CultureInfo.InvariantCulture);
                if ((flags & KernelThreadFlag) == 0)
                {
                    continue;
                }

                // schedstat: time on a core (ns), time waiting for one (ns), slices.
                var ranNanoseconds = long.Parse(File.ReadAllText(Path.Combine(folder, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                threads[processId] = new KernelThread(stat[(open + 1)..close], ranNanoseconds);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The task ended while /proc was listed.
            }
        }

        return threads;
    }

    /// <summary>What the kernel threads ran between two readings; one that started in between counts from zero.</summary>
    public static KernelThreadsRun Between(IReadOnlyDictionary<int, KernelThread> from, IReadOnlyDictionary<int, KernelThread> to)
    {
        var ran = to.Select(thread => (thread.Value.Name, Nanoseconds: thread.Value.RanNanoseconds - (from.TryGetValue(thread.Key, out var before) ? before.RanNanoseconds : 0)))
            .Where(thread => thread.Nanoseconds > 0)
            .ToList();
        if (ran.Count == 0)
        {
            return new KernelThreadsRun(0, "none", 0);
        }

        var busiest = ran.MaxBy(thread => thread.Nanoseconds);
        return new KernelThreadsRun(ran.Sum(thread => thread.Nanoseconds) / 1e6, busiest.Name, busiest.Nanoseconds / 1e6);
    }
}

/// <summary>A kernel thread's name and how long it has run since it started.</summary>
public readonly record struct KernelThread(string Name, long RanNanoseconds);

/// <summary>How long all kernel threads ran between two readings, and which of them ran longest.</summary>
public readonly record struct KernelThreadsRun(double TotalMs, string Busiest, double BusiestMs)
{
    public override string ToString() => $"kernel threads ran {TotalMs:F0} ms ({Busiest} {BusiestMs:F0} ms)";
}
