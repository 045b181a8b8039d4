using StreamBilling.Cli.Commands;

namespace StreamBilling.Cli.Tests;

public sealed class ThreadCpuTests
{
    [Fact]
    public void Since_CountsABusyThreadUnderItsName_AndAnIdleOneNotAtAll()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("Reads /proc/self/task (Linux).");
            return;
        }

        var start = ThreadCpu.Now();
        // Both threads stay alive until the second reading: a thread that has ended is no longer in /proc.
        using var release = new ManualResetEventSlim();
        using var spun = new ManualResetEventSlim();
        var busy = new Thread(() =>
        {
            // Spins on the CPU for 300 ms of wall time (at least 100 ms of CPU even on a loaded machine's share).
            var until = Environment.TickCount64 + 300;
            var x = 0L;
            while (Environment.TickCount64 < until)
            {
                x++;
            }

            GC.KeepAlive(x);
            spun.Set();
            release.Wait();
        })
        { Name = "cpu-test-busy" };
        var idle = new Thread(() => release.Wait()) { Name = "cpu-test-idle" };
        idle.Start();
        busy.Start();
        spun.Wait(TestContext.Current.CancellationToken);
        var groups = ThreadCpu.Now().Since(start, name => name.StartsWith("cpu-test-", StringComparison.Ordinal) ? name : "rest");
        release.Set();
        idle.Join();
        busy.Join();

        var busySeconds = groups.Where(g => g.Group == "cpu-test-busy").Sum(g => g.Seconds);
        Assert.InRange(busySeconds, 0.05, 5);
        Assert.DoesNotContain(groups, g => g.Group == "cpu-test-idle");
    }
}
