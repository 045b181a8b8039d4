using System.Globalization;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// CPU time of this process's threads grouped by thread name, read from <c>/proc/self/task</c> (Linux; empty elsewhere).
/// A stream thread is named after its application and librdkafka names its own threads (<c>rdk:main</c>,
/// <c>rdk:broker…</c>), so a bench can say which application, and how much of the Kafka client, a measured interval's CPU went to.
/// </summary>
internal sealed class ThreadCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: the unit of utime/stime in /proc on Linux

    private readonly Dictionary<int, (string Name, long Ticks)> _threads;

    private ThreadCpu(Dictionary<int, (string Name, long Ticks)> threads) => _threads = threads;

    /// <summary>Every live thread's name and user + system CPU so far.</summary>
    public static ThreadCpu Now()
    {
        var threads = new Dictionary<int, (string, long)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return new ThreadCpu(threads);
        }

        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // The name may hold spaces and parentheses, so it ends at the last ')'.
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, CpuTicksOf(stat));
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return new ThreadCpu(threads);
    }

    /// <summary>User + system CPU of a process's or thread's <c>/proc/…/stat</c> text, as a time.</summary>
    public static TimeSpan CpuOf(string stat) => TimeSpan.FromSeconds(CpuTicksOf(stat) / TicksPerSecond);

    /// <summary>
    /// CPU seconds spent since <paramref name="start"/> per group (<paramref name="groupOf"/> maps a thread name to its
    /// group), largest first; a thread that ended in between is not counted.
    /// </summary>
    public IReadOnlyList<(string Group, double Seconds)> Since(ThreadCpu start, Func<string, string> groupOf) =>
        [.. _threads
            .Select(t => (Group: groupOf(t.Value.Name), Ticks: t.Value.Ticks - (start._threads.TryGetValue(t.Key, out var before) && before.Name == t.Value.Name ? before.Ticks : 0)))
            .GroupBy(t => t.Group, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(t => t.Ticks) / TicksPerSecond))
            .Where(g => g.Item2 > 0)
            .OrderByDescending(g => g.Item2)];

    // "pid (name) state ppid … utime stime …": after the name, field 3 (state) is fields[0], so utime (14) and stime (15)
    // are fields[11] and fields[12], in USER_HZ ticks.
    private static long CpuTicksOf(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
