using System.Text.Json;
using StreamBilling.Events.Cdn;

namespace StreamBilling.Simulation.Tests;

/// <summary>The simulated customers' CDN distributions, which `cdn registry sample` and the host's simulator register.</summary>
public sealed class SimulatedCdnDistributionTests
{
    [Fact]
    public void DistributionIds_DependOnSeedAndCustomers_NotOnADurationOf15MinutesOrMore()
    {
        var day = new UsageSimulator(new SimulationOptions { Seed = 3, Customers = 6 }).Customers;

        foreach (var duration in new[] { TimeSpan.FromMinutes(15), TimeSpan.FromHours(2), TimeSpan.FromDays(3) })
        {
            var other = new UsageSimulator(new SimulationOptions { Seed = 3, Customers = 6, Duration = duration }).Customers;
            Assert.Equal(day.Select(c => c.DistributionId), other.Select(c => c.DistributionId));
        }
    }

    [Fact]
    public void EveryCdnSample_NamesItsCustomersDistribution()
    {
        var simulator = new UsageSimulator(new SimulationOptions { Seed = 5, Customers = 4, Duration = TimeSpan.FromHours(1) });
        var distributionOf = simulator.Customers.ToDictionary(c => c.CustomerId, c => c.DistributionId, StringComparer.Ordinal);

        var samples = simulator.Generate().Select(e => e.Value).OfType<CdnTraffic>().ToList();

        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.Equal(distributionOf[s.customerId], s.distributionId));
    }

    [Fact]
    public void BucketAndDomain_FollowFromTheIds()
    {
        var customer = new SimulatedCustomer("CUST0007", "EDT3IMESUWQCCP", CdnBurst.None, null);

        Assert.Equal(("streambilling-cdn-cust0007", "ddt3imesuwqccp.cloudfront.net"), (customer.Bucket, customer.DomainName));
    }

    [Fact]
    public void TheSampleRegistryFile_IsTheHostsDefaultSimulation()
    {
        // samples/cdn-registry.json: `cdn registry sample --customers 15 --seed 1` (the host's Simulator defaults).
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "cdn-registry.json")));
        var rows = file.RootElement.GetProperty("distributions").EnumerateArray()
            .Select(d => (d.GetProperty("customerId").GetString(), d.GetProperty("bucket").GetString(), d.GetProperty("distributionId").GetString(), d.GetProperty("domainName").GetString()));

        var customers = new UsageSimulator(new SimulationOptions { Seed = 1, Customers = 15 }).Customers;

        Assert.Equal(customers.Select(c => ((string?)c.CustomerId, (string?)c.Bucket, (string?)c.DistributionId, (string?)c.DomainName)), rows);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamBilling.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamBilling.sln not found above " + AppContext.BaseDirectory);
    }
}
