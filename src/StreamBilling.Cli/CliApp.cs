using System.CommandLine;

namespace StreamBilling.Cli;

/// <summary>The <c>streambilling</c> command line, callable in-process (tests run commands through it).</summary>
public static class CliApp
{
    /// <summary>The root command with every <see cref="ICliCommand"/> of this assembly registered.</summary>
    public static RootCommand CreateRootCommand()
    {
        // Each command lives in Commands/ as an ICliCommand, so adding one never touches this file.
        var root = new RootCommand("StreamBilling: usage metering and billing on Kafka.");
        var commands = typeof(CliApp).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; commands write to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        CreateRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
}
