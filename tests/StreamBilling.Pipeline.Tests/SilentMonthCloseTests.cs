using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using static StreamBilling.Pipeline.Tests.ElasticIpRecords;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// A partition whose input falls silent still closes its months: once no record has come for an hour of wall-clock time,
/// stream time is taken to move on with the wall clock, and the month's final invoice goes out when that time passes its
/// end plus the grace, open Elastic IPs billed through the month end as a record of that time would have billed them.
/// </summary>
public sealed class SilentMonthCloseTests
{
    [Fact]
    public void NoRecordAfterTheMonth_TheWallClockClosesIt_WithOpenElasticIpsBilledThroughTheMonthEnd()
    {
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1));
        driver.Bill(Allocated("a1", "203.0.113.10", "2024-08-20T00:00:00"));
        driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-s1", "2024-08-31T10:00:00", "2024-08-31T10:00:00", "2024-08-31T10:30:00")));

        // A day of silence: stream time taken to about Sep 1 10:00, short of Sep 1 + 1 day of grace.
        var afterADay = driver.AdvanceInvoicingWallClock(TimeSpan.FromDays(1));
        var afterTwo = driver.AdvanceInvoicingWallClock(TimeSpan.FromDays(1));

        Assert.DoesNotContain(afterADay, i => i.status == InvoiceStatus.Final);
        var final = Assert.Single(afterTwo, i => i.status == InvoiceStatus.Final);
        Assert.Equal("CUST001/2024-08", final.invoiceId);
        var ip = Assert.Single(final.lines, l => l.service == ServiceKind.ElasticIp);
        Assert.Equal((12L * 24 * 3600, 12 * 24 * 0.005m), (ip.billedSeconds, BillingDriver.Money(ip.amount)));
    }

    [Fact]
    public void RecordsKeepComing_TheWallClockClosesNothingEarly()
    {
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1));
        driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-s1", "2024-08-31T10:00:00", "2024-08-31T10:00:00", "2024-08-31T10:30:00")));

        // Less than an hour between records: never silent, whatever the wall clock says.
        var invoices = new List<Invoice>();
        for (var i = 0; i < 50; i++)
        {
            invoices.AddRange(driver.AdvanceInvoicingWallClock(TimeSpan.FromMinutes(50)));
            invoices.AddRange(driver.Bill(driver.Price(BillingDriver.Slice("s" + i, "i-s1", "2024-08-31T10:00:00", "2024-08-31T11:00:00", "2024-08-31T11:00:00"))));
        }

        Assert.DoesNotContain(invoices, i => i.status == InvoiceStatus.Final);
    }
}
