namespace StreamBilling.Billing;

/// <summary>The operating system of an instance; prices may differ per OS, and the free tier has a Linux and a Windows allowance.</summary>
public enum InstanceOs
{
    /// <summary>Linux (also the OS of usage files that have no OS column).</summary>
    Linux,

    /// <summary>Windows: the Windows free-tier allowance.</summary>
    Windows,

    /// <summary>Red Hat Enterprise Linux: priced on its own, shares the Linux free-tier allowance.</summary>
    RedHat,

    /// <summary>SUSE Linux Enterprise Server: priced on its own, shares the Linux free-tier allowance.</summary>
    Suse,
}
