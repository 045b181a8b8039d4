using System.Text.Json;
using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>The compile-time JSON metadata writes what reflection-based System.Text.Json wrote, so older changelogs still restore.</summary>
public class PipelineJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    [Fact]
    public void InvoiceStores_WrittenWithTheContext_AreByteEqualToReflectionJson()
    {
        using var driver = new BillingDriver();
        driver.Bill(driver.Price(BillingDriver.Slice("s1", "i-1", "2021-08-01T10:00:00", "2021-08-01T10:00:00", "2021-08-01T10:30:00")));

        var entries = driver.Invoicing.GetChangelog(InvoiceTopology.EntryStore);
        var customers = driver.Invoicing.GetChangelog(InvoiceTopology.CustomerStore);

        Assert.NotEmpty(entries);
        Assert.NotEmpty(customers);
        Assert.All(entries, r => Assert.Equal(r.Value, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize<LedgerEntry>(r.Value, Reflection), Reflection)));
        Assert.All(customers, r => Assert.Equal(r.Value, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize<CustomerInvoices>(r.Value, Reflection), Reflection)));
    }

    [Fact]
    public void SessionStore_WrittenWithTheContext_IsByteEqualToReflectionJson()
    {
        using var sessions = new SessionDriver();
        sessions.Launch(Ec2Events.Launch("l1", "i-1", "2024-08-01T10:15:00Z"));

        var records = sessions.Driver.GetChangelog(new Sessions.InstanceSessionOptions().StoreName);

        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(r.Value, JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize<Sessions.InstanceState>(r.Value, Reflection), Reflection)));
    }
}
