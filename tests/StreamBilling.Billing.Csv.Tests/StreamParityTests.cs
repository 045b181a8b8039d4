using StreamBilling.Billing.Invoicing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing.Csv.Tests;

/// <summary>
/// The stream path (pricer + invoice assembler) on the seed sample gives the same bill files as <c>bill</c>: each usage
/// row is reported as an open session is (hourly slices from its launch), slices arrive shuffled, and every one twice.
/// </summary>
public sealed class StreamParityTests
{
    [Fact]
    public void PricerAndAssembler_SeedUsageAsHourlySlicesShuffledAndReplayed_SameFilesAsExpected()
    {
        var read = BillInputReader.Read(TempFolder.RepoFile("samples/bill-seed"));
        var pricer = new UsagePricer(RateCard.FromInstanceRates(read.Input.Rates, read.Input.FreeTier, read.Input.ElasticIpRates));
        var invoices = read.Input.Customers.ToDictionary(
            c => CanonicalId.Of(c.Id), c => new InvoiceAssembler(CanonicalId.Display(c.Id), c.Name), StringComparer.Ordinal);

        var lines = read.Input.Usage
            .SelectMany((row, i) => HourlySlices(row, $"launch-{i}"))
            .SelectMany(pricer.PriceInstance)
            .ToList();
        var random = new Random(42);
        var added = 0;
        foreach (var line in lines.Concat(lines).OrderBy(_ => random.Next()))
        {
            added += invoices[CanonicalId.Of(line.CustomerId)].Add(line) is null ? 0 : 1;
        }

        var expectedDir = TempFolder.RepoFile("samples/bill-seed/expected");
        var files = invoices.Values
            .SelectMany(i => i.Months.Select(m => i.Bill(m)!))
            .ToDictionary(BillFormat.FileName, BillCsvWriter.ToCsv, StringComparer.Ordinal);
        Assert.Equal(lines.Count, added);
        Assert.Equal(Directory.GetFiles(expectedDir).Select(Path.GetFileName).Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        Assert.All(files, file => Assert.Equal(File.ReadAllText(Path.Combine(expectedDir, file.Key)), file.Value));
    }

    /// <summary>A usage row cut at every whole UTC hour, each slice carrying the row's start as its session start.</summary>
    private static IEnumerable<InstanceUsage> HourlySlices(UsageRecord row, string eventId)
    {
        var cut = row.From;
        do
        {
            var next = new DateTimeOffset(cut.Year, cut.Month, cut.Day, cut.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
            var until = next < row.Until ? next : row.Until;
            yield return new InstanceUsage([eventId], row.CustomerId, row.InstanceId, row.InstanceType, row.Region, row.Os, Pricing.OnDemand, row.From, cut, until);
            cut = until;
        }
        while (cut < row.Until);
    }
}
