using System.Globalization;

namespace StreamBilling.Billing.Tests;

/// <summary>Short constructors for test inputs.</summary>
internal static class Fixtures
{
    public const string Ohio = "US (Ohio)";
    public const string Mumbai = "Asia (Mumbai)";
    public const string MiddleEast = "Middle East";

    public static DateTimeOffset T(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static UsageRecord Use(string customer, string instance, string type, string from, string until, string region = "", InstanceOs os = InstanceOs.Linux) =>
        new(customer, instance, type, region, os, T(from), T(until));

    public static List<Customer> TwoCustomers() => [new("CUST-001", "ABC Corporation"), new("CUST-002", "XYZ Corporation")];

    public static List<RateCardEntry> SeedRates() =>
    [
        new("t3.micro", string.Empty, 0.0104m, null),
        new("t3.small", string.Empty, 0.0209m, null),
        new("t3.medium", string.Empty, 0.0418m, null),
    ];

    /// <summary>Rates in three regions: Ohio and Mumbai have t3.micro free, the Middle East t2.micro.</summary>
    public static List<RateCardEntry> RegionRates() =>
    [
        new("t3.micro", Ohio, 0.0104m, 0.0085m),
        new("t3.micro", Mumbai, 0.0112m, 0.0090m),
        new("t2.micro", Ohio, 0.0116m, 0.0095m),
        new("t2.micro", MiddleEast, 0.0120m, 0.0100m),
        new("t3.micro", MiddleEast, 0.0110m, 0.0088m),
        new("t3.small", string.Empty, 0.0209m, 0.0170m),
    ];

    public static List<FreeTierEligibility> FreeTier() =>
    [
        new(Ohio, "t3.micro"),
        new(Mumbai, "t3.micro"),
        new(MiddleEast, "t2.micro"),
    ];

    /// <summary>The seed document's first example (AWSResourceUsage.csv, eight rows).</summary>
    public static BillInput SeedExample() => new()
    {
        Customers = TwoCustomers(),
        Rates = SeedRates(),
        Usage =
        [
            Use("CUST001", "t3-wedjh", "t3.medium", "2021-08-15T10:00:00", "2021-08-15T15:30:45"),
            Use("CUST002", "t3-hsasa", "t3.medium", "2021-06-18T10:00:00", "2021-08-15T15:30:45"),
            Use("CUST001", "t3-gsadjh", "t3.small", "2021-08-05T10:50:00", "2021-08-15T12:33:48"),
            Use("CUST001", "t3-wedjh", "t3.medium", "2021-07-10T11:45:00", "2021-07-15T15:30:45"),
            Use("CUST002", "t3-jsakl", "t3.small", "2021-08-05T10:50:00", "2021-08-15T12:33:48"),
            Use("CUST002", "t3-hsajk", "t3.micro", "2021-07-10T11:45:00", "2021-07-15T15:30:45"),
            Use("CUST001", "t3-gsadjh", "t3.small", "2021-08-08T11:58:00", "2021-08-08T12:35:00"),
            Use("CUST001", "t3-hasgjh", "t3.small", "2021-08-08T16:10:10", "2021-08-08T18:05:10"),
        ],
    };

    /// <summary>A file of the repository (found by walking up from the test binaries to the folder holding <c>samples</c>).</summary>
    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "samples")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    public static MonthlyBill Single(BillResult result, string customer, int year, int month) =>
        Assert.Single(result.Bills, b => b.CustomerId == customer && b.Month == new BillingMonth(year, month));

    public static BillLine Line(MonthlyBill bill, string type, string region = "", Pricing pricing = Pricing.OnDemand) =>
        Assert.Single(bill.Lines, l => l.InstanceType == type && l.Region == region && l.Pricing == pricing);
}
