using System.Globalization;

namespace Galaxy.Bench;

/// <summary>
/// The whole machine's CPU time from <c>/proc/stat</c>, for what no process of ours shows: time the hypervisor gave to
/// other guests (steal) and time used by processes other than the gateway and this one (PostgreSQL, a neighbour).
/// </summary>
/// <param name="Busy">Jiffies spent on anything but idle, I/O wait and steal, over all cores.</param>
/// <param name="Steal">Jiffies a runnable core waited for the hypervisor.</param>
/// <param name="All">Every jiffy of every core.</param>
public readonly record struct MachineCpu(long Busy, long Steal, long All)
{
    private const double JiffiesPerSecond = 100; // USER_HZ, 100 on Linux's x64 and Arm64 alike

    /// <summary>Now; zeros where there is no <c>/proc/stat</c> (not Linux).</summary>
    public static MachineCpu Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Take(8).Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var (all, idle, ioWait, steal) = (fields.Sum(), fields[3], fields[4], fields[7]);
        return new MachineCpu(all - idle - ioWait - steal, steal, all);
    }

    /// <summary>Cores busy on average between two readings, whatever ran.</summary>
    public static double BusyCores(MachineCpu from, MachineCpu to, double seconds) => (to.Busy - from.Busy) / JiffiesPerSecond / seconds;

    /// <summary>The share of all core time between two readings that the hypervisor took (0–1).</summary>
    public static double StealShare(MachineCpu from, MachineCpu to) =>
        to.All == from.All ? 0 : (double)(to.Steal - from.Steal) / (to.All - from.All);
}
