namespace StreamBilling.Host.Demo;

/// <summary>How long the host runs before stopping by itself (section <c>Demo</c>).</summary>
public sealed class DemoOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Demo";

    /// <summary>Run time (<c>hh:mm:ss</c>); default 30 s with the embedded cluster, unlimited against a real one; zero means unlimited.</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>Account of the customer key the demo creates and prints (with an operator key).</summary>
    public string KeyCustomer { get; set; } = "CUST0001";
}
