using System.CommandLine;

namespace StreamBilling.Cli;

/// <summary>A <c>streambilling bench</c> subcommand; every implementation in this assembly is registered under <c>bench</c>.</summary>
internal interface IBenchCommand
{
    /// <summary>Builds the subcommand with its options and action.</summary>
    Command Create();
}
