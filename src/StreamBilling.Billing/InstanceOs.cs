namespace StreamBilling.Billing;

/// <summary>The operating system of an instance; each has its own free-tier allowance.</summary>
public enum InstanceOs
{
    /// <summary>Linux (also the OS of usage files that have no OS column).</summary>
    Linux,

    /// <summary>Windows.</summary>
    Windows,
}
