using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using static StreamBilling.Pipeline.Tests.ElasticIpRecords;

namespace StreamBilling.Pipeline.Tests;

/// <summary>
/// Elastic IP idle time on invoices: open allocations survive a restart, are billed through the hour stream time is in,
/// through the month end when the month closes, and give the same invoices whatever order their inputs arrive in.
/// </summary>
public sealed class ElasticIpInvoiceTests
{
    private const string Ip1 = "203.0.113.10";
    private const string Ip2 = "203.0.113.20";

    [Fact]
    public void OpenAllocation_IsBilledThroughTheCurrentHour_AndARestartKeepsIt()
    {
        IReadOnlyDictionary<string, string> Run(bool restart)
        {
            using var driver = new BillingDriver();
            driver.Bill(Allocated("a1", Ip1, "2024-08-01T00:00:00"));
            Use(driver, "s1", "2024-08-01T10:00:00");
            Use(driver, "s2", "2024-08-03T00:00:00");
            if (restart)
            {
                driver.RestartInvoicing();
            }

            Use(driver, "s3", "2024-08-03T01:10:00");
            return Content(driver.Latest());
        }

        var clean = Run(restart: false);
        var restarted = Run(restart: true);

        // Allocated at 00:00 on the 1st, never associated, billed through 01:00 on the 3rd: 49 idle hours at $0.005.
        Assert.Equal(clean, restarted);
        Assert.Contains("ElasticIp|us-east-1|203.0.113.10|used=176400|billed=176400|amount=0.245", restarted["CUST001/2024-08"], StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAllocation_WhenItsMonthCloses_IsBilledThroughTheMonthEnd()
    {
        using var driver = new BillingDriver(monthCloseGrace: TimeSpan.FromDays(1));
        driver.Bill(Allocated("a1", Ip1, "2024-08-20T00:00:00"));
        Use(driver, "s1", "2024-08-21T10:00:00");

        var invoices = Use(driver, "s2", "2024-09-02T05:00:00");

        var final = Assert.Single(invoices, i => i.status == InvoiceStatus.Final);
        var ip = Assert.Single(final.lines, l => l.service == ServiceKind.ElasticIp);
        Assert.Equal((12L * 24 * 3600, 12 * 24 * 0.005m), (ip.billedSeconds, BillingDriver.Money(ip.amount)));

        // September carries on from the month end: through 05:00 on the 2nd.
        var september = driver.Latest()["CUST001/2024-09"];
        Assert.Equal(29L * 3600, Assert.Single(september.lines, l => l.service == ServiceKind.ElasticIp).billedSeconds);
    }

    [Fact]
    public void OpenAssociation_OfAReleasedAllocation_CoversItUntilTheRelease()
    {
        using var driver = new BillingDriver();
        driver.Bill(Allocated("a1", Ip1, "2024-08-01T00:00:00"));
        driver.Bill(Associated("s1", "a1", Ip1, "i-s1", "2024-08-01T01:00:00"));
        Use(driver, "s1", "2024-08-01T01:00:00", "2024-08-01T09:00:00");
        Use(driver, "s9", "2024-08-01T12:00:00");

        // Released while still associated (no disassociation ever comes); the instance stopped at 09:00.
        driver.Bill(Released("a1", Ip1, "2024-08-01T10:00:00"));
        Use(driver, "s10", "2024-08-02T12:00:00");

        // Idle 00:00-01:00 and 09:00-10:00: 2 hours, however far stream time has gone.
        var line = Assert.Single(driver.Latest()["CUST001/2024-08"].lines, l => l.service == ServiceKind.ElasticIp);
        Assert.Equal(2L * 3600, line.billedSeconds);
    }

    /// <summary>
    /// The same Elastic IP events and priced lines, fed in many interleavings (each topic in its own order, the topics
    /// merged at random, some with a restart in the middle), give the same latest invoices.
    /// </summary>
    [Fact]
    public void AnyInterleavingOfTheInputs_WithOrWithoutARestart_GivesTheSameInvoices()
    {
        using var pricing = new BillingDriver();
        var topics = Scenario(pricing);
        IReadOnlyDictionary<string, string>? expected = null;
        for (var seed = 0; seed < 60; seed++)
        {
            var random = new Random(seed);
            var order = Interleave(topics, random);
            var restartAt = seed % 3 == 0 ? random.Next(order.Count) : -1;
            using var driver = new BillingDriver();
            for (var i = 0; i < order.Count; i++)
            {
                if (i == restartAt)
                {
                    driver.RestartInvoicing();
                }

                order[i](driver);
            }

            var content = Content(driver.Latest());
            expected ??= content;
            Assert.True(
                expected.Count == content.Count && expected.All(e => content.TryGetValue(e.Key, out var c) && c == e.Value),
                $"seed {seed} (restart at {restartAt}): {string.Join(" || ", content.Values)} vs {string.Join(" || ", expected.Values)}");
        }

        // Sanity: the scenario bills idle time on both addresses.
        Assert.Contains("|203.0.113.10|", expected!["CUST001/2024-08"], StringComparison.Ordinal);
        Assert.Contains("|203.0.113.20|", expected["CUST001/2024-08"], StringComparison.Ordinal);
    }

    /// <summary>Each input topic's records in their order: priced lines, allocations, releases, associations, disassociations.</summary>
    private static List<List<Action<BillingDriver>>> Scenario(BillingDriver pricing)
    {
        List<Action<BillingDriver>> Lines(string session, string instance, string from, string until)
        {
            var lines = new List<Action<BillingDriver>>();
            for (var start = T.At(from); start < T.At(until); start = start.AddHours(1))
            {
                var end = start.AddHours(1) < T.At(until) ? start.AddHours(1) : T.At(until);
                var priced = pricing.Price(BillingDriver.Slice(session, instance, from, start.ToString("O"), end.ToString("O")));
                lines.Add(d => d.Bill(priced));
            }

            return lines;
        }

        var lines = Lines("run1", "i-1", "2024-08-01T01:00:00", "2024-08-01T06:00:00")
            .Concat(Lines("run2", "i-2", "2024-08-01T05:00:00", "2024-08-01T12:00:00"))
            .Concat(Lines("run3", "i-1", "2024-08-02T03:00:00", "2024-08-02T05:30:00"))
            .Concat(Lines("tail", "i-9", "2024-08-03T04:00:00", "2024-08-03T05:30:00"))
            .ToList();
        return
        [
            lines,
            [d => d.Bill(Allocated("a1", Ip1, "2024-08-01T00:00:00")), d => d.Bill(Allocated("a2", Ip2, "2024-08-01T04:30:00"))],
            [d => d.Bill(Released("a1", Ip1, "2024-08-02T12:00:00"))],
            [
                d => d.Bill(Associated("s1", "a1", Ip1, "i-1", "2024-08-01T02:00:00")),
                d => d.Bill(Associated("s2", "a2", Ip2, "i-2", "2024-08-01T06:00:00")),
            ],
            [d => d.Bill(Disassociated("s2", "a2", Ip2, "i-2", "2024-08-01T09:00:00"))],
        ];
    }

    /// <summary>A random merge of the topics, each kept in its own order (as a consumer reads several partitions).</summary>
    private static List<Action<BillingDriver>> Interleave(List<List<Action<BillingDriver>>> topics, Random random)
    {
        var positions = new int[topics.Count];
        var order = new List<Action<BillingDriver>>();
        while (order.Count < topics.Sum(t => t.Count))
        {
            var candidates = Enumerable.Range(0, topics.Count).Where(t => positions[t] < topics[t].Count).ToList();
            var topic = candidates[random.Next(candidates.Count)];
            order.Add(topics[topic][positions[topic]++]);
        }

        return order;
    }

    /// <summary>
    /// An invoice's content as text, without its version fields (eventId, revision, issuedAt: they count publications,
    /// which depend on when commits fall).
    /// </summary>
    private static Dictionary<string, string> Content(IReadOnlyDictionary<string, Invoice> invoices) =>
        invoices.ToDictionary(
            i => i.Key,
            i => $"{i.Value.status}|total={BillingDriver.Money(i.Value.totalAmount)}|" + string.Join(
                ";",
                i.Value.lines.Select(l => l.service == ServiceKind.ElasticIp
                    ? $"ElasticIp|{l.region}|{l.resourceType}|used={l.usedSeconds}|billed={l.billedSeconds}|amount={BillingDriver.Money(l.amount)}"
                    : $"{l.service}|{l.region}|{l.resourceType}|{l.description}|used={l.usedSeconds}|billed={l.billedSeconds}|amount={BillingDriver.Money(l.amount)}|correction={l.correctsMonth}")),
            StringComparer.Ordinal);

    private static IReadOnlyList<Invoice> Use(BillingDriver driver, string session, string from, string? until = null) =>
        driver.Bill(driver.Price(BillingDriver.Slice(session, "i-" + session, from, from, until ?? T.At(from).AddMinutes(30).ToString("O"))));
}
