using System.Text;
using StreamBilling.Contracts.Tests;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// The invoice application's persisted formats stay readable: the bytes of both state stores' changelogs, of a late
/// input and of the stored invoice documents, as written by the code before the invoicing refactor, are on file
/// (Fixtures/invoice-state.v1.txt). Today's code must write the same bytes for the same inputs and restore from the old
/// ones.
/// </summary>
public sealed class InvoiceStateFormatTests
{
    private static string FixturePath => Path.Combine(RepositoryPaths.Root, "tests", "StreamBilling.Pipeline.Tests", "Fixtures", "invoice-state.v1.txt");

    [Fact]
    public void Scenario_WritesTheBytesOnFile()
    {
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1), closedMonthRetention: TimeSpan.FromDays(30));

        var written = Run(driver);

        Assert.Equal(File.ReadAllLines(FixturePath), written);
    }

    [Fact]
    public void StoresRestoredFromTheBytesOnFile_BillTheNextInputAsBefore()
    {
        var onFile = File.ReadAllLines(FixturePath);
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1), closedMonthRetention: TimeSpan.FromDays(30));
        driver.RestoreInvoicing(Changelog(onFile, "entries"), Changelog(onFile, "customers"));

        var invoices = driver.Bill(driver.Price(BillingDriver.Slice("s9", "i-s9", "2021-11-04T10:00:00", "2021-11-04T10:00:00", "2021-11-04T11:00:00")));

        var november = Assert.Single(invoices);
        Assert.Equal(("CUST001/2021-11", InvoiceStatus.MonthToDate, 2L), (november.invoiceId, november.status, november.revision));
        Assert.Equal(0.4518m, BillingDriver.Money(november.totalAmount)); // what the code before the refactor billed from the same stores
    }

    [Fact]
    public void EveryValueOnFile_ReadByTodaysTypes_IsWrittenBackByteForByte()
    {
        var onFile = File.ReadAllLines(FixturePath).Select(l => l.Split('\t', 3)).Where(p => p[2] != "<tombstone>").ToList();

        string Again<T>(string json)
        {
            var serde = PipelineJson.Serde<T>();
            var context = new Streams.SerdeContext("invoice-state", IsKey: false);
            return Encoding.UTF8.GetString(serde.Serialize(serde.Deserialize(Encoding.UTF8.GetBytes(json), context), context)!);
        }

        Assert.Equal(["customers", "document", "entries", "late"], onFile.Select(p => p[0]).Distinct().Order(StringComparer.Ordinal));
        Assert.All(onFile, p => Assert.Equal(p[2], p[0] switch
        {
            "entries" => Again<LedgerEntry>(p[2]),
            "customers" => Again<CustomerInvoices>(p[2]),
            "late" => Again<BillingInput>(p[2]),
            _ => InvoiceDocument.FromJson(p[2]).ToJson(),
        }));
        Assert.All(onFile.Where(p => p[0] == "entries"), p => Assert.Equal(p[1], LedgerKey.Parse(p[1]).ToString()));
    }

    /// <summary>
    /// Lines, an Elastic IP allocation with an association, closes, a late line corrected on a later month, a pruned
    /// month and a late input for it; every changelog record, the late input and every stored document, one per line.
    /// </summary>
    private static List<string> Run(BillingDriver driver)
    {
        driver.Bill(ElasticIpRecords.Allocated("eipalloc-1", "203.0.113.10", "2021-08-10T00:00:00"));
        Use(driver, "s1", "2021-08-20T10:00:00");
        driver.Bill(ElasticIpRecords.Associated("eipassoc-1", "eipalloc-1", "203.0.113.10", "i-s1", "2021-08-20T10:00:00"));
        driver.Bill(ElasticIpRecords.Disassociated("eipassoc-1", "eipalloc-1", "203.0.113.10", "i-s1", "2021-08-20T10:30:00"));
        Use(driver, "s2", "2021-09-03T10:00:00");
        Use(driver, "s3", "2021-10-02T12:00:00");
        Use(driver, "s4", "2021-09-25T10:00:00", "2021-09-25T12:10:00");
        Use(driver, "s5", "2021-10-03T12:00:00");
        Use(driver, "s6", "2021-11-02T12:00:00");
        Use(driver, "s7", "2021-08-25T10:00:00");

        var lines = new List<string>();
        lines.AddRange(driver.Invoicing.GetChangelog(InvoiceTopology.EntryStore).Select(r => Line("entries", r)));
        lines.AddRange(driver.Invoicing.GetChangelog(InvoiceTopology.CustomerStore).Select(r => Line("customers", r)));
        lines.AddRange(driver.LateValues().Select(v => "late\t\t" + Encoding.UTF8.GetString(v)));
        lines.AddRange(driver.Invoices.Select(r => "document\t" + r.Value.invoiceId + "\t" + InvoiceSink.ToStored(r.Value).Document));
        return lines;
    }

    private static string Line(string store, Streams.ChangelogRecord record) =>
        store + "\t" + Encoding.UTF8.GetString(record.Key) + "\t" + (record.Value is null ? "<tombstone>" : Encoding.UTF8.GetString(record.Value));

    private static List<Streams.ChangelogRecord> Changelog(string[] lines, string store) =>
        [.. lines.Select(l => l.Split('\t', 3)).Where(p => p[0] == store).Select(p => new Streams.ChangelogRecord(
            "restore", 0, Encoding.UTF8.GetBytes(p[1]), p[2] == "<tombstone>" ? null : Encoding.UTF8.GetBytes(p[2]), DateTimeOffset.UnixEpoch))];

    private static void Use(BillingDriver driver, string session, string from, string? until = null) =>
        driver.Bill(driver.Price(BillingDriver.Slice(session, "i-" + session, from, from, until ?? T.At(from).AddMinutes(30).ToString("O"))));
}
