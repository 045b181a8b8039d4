using StreamBilling.Billing;
using StreamBilling.Events.Common;

namespace StreamBilling.Pipeline.Wire;

/// <summary>
/// The Avro enums of the wire and the bill engine's look-alike enums, mapped by name in both directions. Never by number:
/// the two sides list their members in different orders (the Avro <see cref="PurchaseOption"/> is OnDemand, Spot,
/// Reserved; <see cref="Billing.Pricing"/> is OnDemand, Reserved, Spot), and a cast swapped Spot and Reserved on the wire.
/// A member one side lacks throws instead of landing on a neighbour.
/// </summary>
public static class WireEnums
{
    /// <summary>The service names a user may ask for: every <see cref="ServiceKind"/> but the default that stands in for a symbol a reader lacks.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } = [.. Enum.GetNames<ServiceKind>().Where(n => n != nameof(ServiceKind.Unknown))];

    /// <summary>The service kind named <paramref name="name"/> (case-insensitive, names only: never a number, never <see cref="ServiceKind.Unknown"/>).</summary>
    public static bool TryParseService(string? name, out ServiceKind service)
    {
        var match = ServiceNames.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        service = match is null ? ServiceKind.Unknown : Enum.Parse<ServiceKind>(match);
        return match is not null;
    }

    /// <summary>The wire's purchase option of a pricing.</summary>
    public static PurchaseOption ToWire(Billing.Pricing pricing) => pricing switch
    {
        Billing.Pricing.OnDemand => PurchaseOption.OnDemand,
        Billing.Pricing.Spot => PurchaseOption.Spot,
        Billing.Pricing.Reserved => PurchaseOption.Reserved,
        _ => throw Unmapped(pricing),
    };

    /// <summary>The pricing of a wire purchase option.</summary>
    public static Billing.Pricing ToDomain(PurchaseOption option) => option switch
    {
        PurchaseOption.OnDemand => Billing.Pricing.OnDemand,
        PurchaseOption.Spot => Billing.Pricing.Spot,
        PurchaseOption.Reserved => Billing.Pricing.Reserved,
        _ => throw Unmapped(option),
    };

    /// <summary>The wire's operating system of an instance.</summary>
    public static OperatingSystemType ToWire(InstanceOs os) => os switch
    {
        InstanceOs.Linux => OperatingSystemType.Linux,
        InstanceOs.Windows => OperatingSystemType.Windows,
        InstanceOs.RedHat => OperatingSystemType.RedHat,
        InstanceOs.Suse => OperatingSystemType.Suse,
        _ => throw Unmapped(os),
    };

    /// <summary>The bill engine's operating system of a wire one.</summary>
    public static InstanceOs ToDomain(OperatingSystemType os) => os switch
    {
        OperatingSystemType.Linux => InstanceOs.Linux,
        OperatingSystemType.Windows => InstanceOs.Windows,
        OperatingSystemType.RedHat => InstanceOs.RedHat,
        OperatingSystemType.Suse => InstanceOs.Suse,
        _ => throw Unmapped(os),
    };

    /// <summary>The wire's service kind of a billable service.</summary>
    public static ServiceKind ToWire(BillableService service) => service switch
    {
        BillableService.Ec2 => ServiceKind.Ec2,
        BillableService.ReservedInstance => ServiceKind.ReservedInstance,
        BillableService.S3 => ServiceKind.S3,
        BillableService.DynamoDb => ServiceKind.DynamoDb,
        BillableService.Cdn => ServiceKind.Cdn,
        BillableService.MediaPackage => ServiceKind.MediaPackage,
        BillableService.CloudFront => ServiceKind.CloudFront,
        BillableService.MediaLive => ServiceKind.MediaLive,
        BillableService.MediaConvert => ServiceKind.MediaConvert,
        BillableService.S3Recording => ServiceKind.S3Recording,
        BillableService.ElasticIp => ServiceKind.ElasticIp,
        _ => throw Unmapped(service),
    };

    /// <summary>The billable service of a wire service kind.</summary>
    public static BillableService ToDomain(ServiceKind service) => service switch
    {
        ServiceKind.Ec2 => BillableService.Ec2,
        ServiceKind.ReservedInstance => BillableService.ReservedInstance,
        ServiceKind.S3 => BillableService.S3,
        ServiceKind.DynamoDb => BillableService.DynamoDb,
        ServiceKind.Cdn => BillableService.Cdn,
        ServiceKind.MediaPackage => BillableService.MediaPackage,
        ServiceKind.CloudFront => BillableService.CloudFront,
        ServiceKind.MediaLive => BillableService.MediaLive,
        ServiceKind.MediaConvert => BillableService.MediaConvert,
        ServiceKind.S3Recording => BillableService.S3Recording,
        ServiceKind.ElasticIp => BillableService.ElasticIp,
        _ => throw Unmapped(service),
    };

    private static ArgumentOutOfRangeException Unmapped<T>(T value)
        where T : struct, Enum =>
        new(nameof(value), value, $"{typeof(T).Name}.{value} has no counterpart on the other side of the wire.");
}
