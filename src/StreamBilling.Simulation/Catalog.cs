using StreamBilling.Events.Common;

namespace StreamBilling.Simulation;

/// <summary>The value sets the simulator draws from.</summary>
internal static class Catalog
{
    public static readonly string[] Regions = ["us-east-1", "us-east-2", "eu-west-1", "ap-south-1", "me-south-1"];

    public static readonly string[] Roles = ["Admin", "WebServer", "Batch", "Analytics", "Developer"];

    public static readonly string[] Environments = ["prod", "staging", "dev"];

    public static readonly string[] InstanceTypes = ["t3.micro", "t2.micro", "t3.small", "t3.medium", "m5.large", "c5.xlarge"];

    public static OperatingSystemType Os(Random random) => random.NextDouble() switch
    {
        < 0.70 => OperatingSystemType.Linux,
        < 0.90 => OperatingSystemType.Windows,
        < 0.95 => OperatingSystemType.RedHat,
        _ => OperatingSystemType.Suse,
    };

    public static PurchaseOption PurchaseOption(Random random) =>
        random.NextDouble() < 0.85 ? Events.Common.PurchaseOption.OnDemand : Events.Common.PurchaseOption.Spot;
}
