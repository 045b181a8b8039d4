using System.CommandLine;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling bench</c>: the benchmarks whose figures the README and issue notes report.</summary>
internal sealed class BenchCommand : ICliCommand
{
    public Command Create()
    {
        var bench = new Command("bench", "Run a benchmark (build with -c Release for figures worth reporting).");
        var subcommands = typeof(BenchCommand).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchCommand).IsAssignableFrom(t))
            .Select(t => ((IBenchCommand)Activator.CreateInstance(t)!).Create())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var subcommand in subcommands)
        {
            bench.Subcommands.Add(subcommand);
        }

        return bench;
    }
}
