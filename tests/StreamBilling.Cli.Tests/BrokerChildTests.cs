using System.Diagnostics;
using StreamBilling.Cli.Commands;

namespace StreamBilling.Cli.Tests;

/// <summary>The broker a bench runs as its child: started with its address known, measured from outside, and never left behind.</summary>
public sealed class BrokerChildTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_GivesTheAddress_AndTheChildsMemory_AndDisposeStopsIt()
    {
        var child = await BrokerChild.StartAsync(1, Ct);
        int pid;
        try
        {
            Assert.StartsWith("127.0.0.1:", child.BootstrapServers, StringComparison.Ordinal);
            Assert.True(child.PeakWorkingSet > 0);
            Assert.True(child.Cpu >= TimeSpan.Zero);
            pid = child.ProcessId;
            Assert.True(IsRunning(pid));
        }
        finally
        {
            await child.DisposeAsync();
        }

        Assert.False(IsRunning(pid));
    }

    [Fact]
    public async Task Broker_UntilStdinCloses_StopsWhenItsParentsPipeCloses()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Directory.CreateTempSubdirectory("broker-stdin-").FullName };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "streambilling.dll"), "broker", "--brokers", "1", "--until-stdin-closes" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            Assert.StartsWith("127.0.0.1:", await process.StandardOutput.ReadLineAsync(Ct), StringComparison.Ordinal);
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();

            process.StandardInput.Close();

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            var drain = process.StandardOutput.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("stopping the embedded Kafka cluster", await drain, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
