using System.CommandLine;

namespace StreamBilling.Cli;

/// <summary>A top-level <c>streambilling</c> command; every implementation in this assembly is registered at start-up.</summary>
internal interface ICliCommand
{
    /// <summary>Builds the command with its options and action.</summary>
    Command Create();
}
