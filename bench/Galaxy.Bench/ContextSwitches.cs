using System.Globalization;

namespace Galaxy.Bench;

/// <summary>
/// The context switches a process's threads have made so far, voluntary (a wait: a futex, a socket with nothing to
/// read) and not (preempted), from <c>/proc/PID/task/*/status</c>. On this project's virtual machines each is a trip
/// through the hypervisor, and at half load they are most of a request's cost (BENCHMARKS.md, "Kernel transitions").
/// A thread that ends between two readings takes its count with it, so a difference can undercount a little.
/// </summary>
internal static class ContextSwitches
{
    /// <summary>The process's count now; 0 where there is no <c>/proc</c> (not Linux) or the process has ended.</summary>
    public static long Of(int processId)
    {
        var tasks = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task";
        if (!Directory.Exists(tasks))
        {
            return 0;
        }

        var total = 0L;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                total += File.ReadLines(Path.Combine(task, "status"))
                    .Where(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    .Sum(line => long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The thread ended while its folder was listed.
            }
        }

        return total;
    }
}
