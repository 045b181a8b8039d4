using System.CommandLine;
using StreamBilling.Cli;

// Each command lives in Commands/ as an ICliCommand, so adding one never touches this file.
var root = new RootCommand("StreamBilling: usage metering and billing on Kafka.");
var commands = typeof(Program).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
    .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
    .OrderBy(c => c.Name, StringComparer.Ordinal);
foreach (var command in commands)
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
