using System.Net;
using System.Text.Json;
using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.DynamoDb;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Storage;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Api.Tests;

/// <summary>
/// <c>GET /v1/usage</c> against hand-computed days. Records take the path they take in the host: Cost Explorer figures
/// and DynamoDB usage are priced by the pricing topology (test driver, real Avro), its priced lines and the CloudWatch
/// samples go through the daily usage sink into the DuckDB view, and the API reads it. July 2024 is priced by rate card
/// version 2019-01: CDN 0.085 per GB up to 10,240 GB a month; DynamoDB 0.00000025 per read and 0.00000125 per write unit.
/// </summary>
public sealed class DailyUsageEndpointTests : IDisposable
{
    private const long Gb = 1_000_000_000;
    private static readonly RateCard Card = RateCard.Load(Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json"));

    private readonly AvroSerdes _serdes = new(new InMemorySchemaRegistryClient());
    private readonly TopologyTestDriver _pricing;

    public DailyUsageEndpointTests() => _pricing = new TopologyTestDriver(PricingTopology.Build(_serdes, new PricingOptions { RateCard = Card }));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// July 1: CloudWatch says 4 + 8.2 GB (one sample re-sent) + 0.2 GB of a sample across midnight = 12.4 GB, priced
    /// 12.4 × 0.085 = 1.054; Cost Explorer later says 12.5 GB, billed 12.5 × 0.085 = 1.0625: the cost rests on it,
    /// reconciled by +0.1 GB and +0.0085. July 2: the other 0.2 GB of that sample + 1 GB = 1.2 GB, no figure yet:
    /// 1.2 × 0.085 = 0.102 (12.5 GB before it this month, still tier 1). July 3: nothing.
    /// </summary>
    [Fact]
    public async Task CdnDays_ShowEstimateAuthoritativeAndReconciliation_AsComputedByHand()
    {
        await using var api = await ApiServer.StartAsync();
        await StoreCdnJulyAsync(api, "CUST0001");
        using var customer = api.CustomerClient("CUST0001");

        using var response = await customer.GetAsync(new Uri("/v1/usage?service=cdn&from=2024-07-01&to=2024-07-03", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(
            """
            {"customerId":"CUST0001","service":"Cdn","from":"2024-07-01","to":"2024-07-03","currency":"USD","days":[
            {"date":"2024-07-01","quantity":12.5,"unit":"GB","cost":1.0625,"costBasis":"Authoritative","estimate":{"quantity":12.4,"cost":1.054},"authoritative":{"quantity":12.5,"cost":1.0625},"reconciled":true,"difference":{"quantity":0.1,"cost":0.0085}},
            {"date":"2024-07-02","quantity":1.2,"unit":"GB","cost":0.102,"costBasis":"Estimate","estimate":{"quantity":1.2,"cost":0.102},"authoritative":null,"reconciled":false,"difference":null},
            {"date":"2024-07-03","quantity":0,"unit":"GB","cost":0,"costBasis":"Estimate","estimate":null,"authoritative":null,"reconciled":false,"difference":null}]}
            """.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal),
            body);
    }

    /// <summary>
    /// The estimate is priced on top of the month-to-date, each earlier day counted by its best figure: July 1's Cost
    /// Explorer figure of 10,200 GB (its estimate said 10,000) leaves 40 GB of tier 1, so July 2's 100 GB estimate costs
    /// 40 × 0.085 + 60 × 0.08 = 8.2 (counted by July 1's estimate it would be 8.5).
    /// </summary>
    [Fact]
    public async Task CdnEstimate_IsPricedOnTopOfTheMonthToDate_CountingEachDayByItsBestFigure()
    {
        await using var api = await ApiServer.StartAsync();
        var sink = new DailyUsageSink(DailyUsageStores.Of(api.Store));
        await sink.WriteEstimatesAsync(
            [
                Traffic("cw-1", "CUST0001", CdnDataSource.CloudWatch, "2024-07-01T10:00:00Z", "2024-07-01T10:05:00Z", 10_000 * Gb),
                Traffic("cw-2", "CUST0001", CdnDataSource.CloudWatch, "2024-07-02T10:00:00Z", "2024-07-02T10:05:00Z", 100 * Gb),
            ],
            Ct);
        await PriceFigureAsync(sink, "CUST0001", "ce-1", "2024-07-01", 10_200 * Gb);

        var (_, body) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-02&to=2024-07-02&customerId=CUST0001");

        Assert.Equal("""{"quantity":100,"cost":8.2}""", body.GetProperty("days")[0].GetProperty("estimate").GetRawText());
    }

    [Fact]
    public async Task ACdnDayWhoseFiguresAgree_IsNotReconciled()
    {
        await using var api = await ApiServer.StartAsync();
        var sink = new DailyUsageSink(DailyUsageStores.Of(api.Store));
        await sink.WriteEstimatesAsync([Traffic("cw-1", "CUST0001", CdnDataSource.CloudWatch, "2024-07-01T10:00:00Z", "2024-07-01T10:05:00Z", 2 * Gb)], Ct);
        await PriceFigureAsync(sink, "CUST0001", "ce-1", "2024-07-01", 2 * Gb);

        var (_, body) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01&customerId=CUST0001");

        Assert.Equal(
            """[{"date":"2024-07-01","quantity":2,"unit":"GB","cost":0.17,"costBasis":"Authoritative","estimate":{"quantity":2,"cost":0.17},"authoritative":{"quantity":2,"cost":0.17},"reconciled":false,"difference":null}]""",
            body.GetProperty("days").GetRawText());
    }

    [Fact]
    public async Task ReplayingEveryRecord_ChangesNothing()
    {
        await using var api = await ApiServer.StartAsync();
        await StoreCdnJulyAsync(api, "CUST0001");
        var (_, before) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-03&customerId=CUST0001");

        await StoreCdnJulyAsync(api, "CUST0001");
        var (_, after) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-03&customerId=CUST0001");

        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    /// <summary>
    /// DynamoDB from July 1 18:00 to July 2 06:00: 4,000,000 reads (1.00) and 400,000 writes (0.50), half on each day:
    /// 2,200,000 request units and 0.75 a day, priced lines as billed.
    /// </summary>
    [Fact]
    public async Task OtherServices_ShowTheirPricedLines_SplitAtUtcMidnight()
    {
        await using var api = await ApiServer.StartAsync();
        var tables = _pricing.CreateInputTopic(Topics.DynamoDbTableUsage, Streams.Serdes.Utf8, _serdes.For<TableUsage>());
        tables.PipeInput("CUST0001", new TableUsage
        {
            eventId = "ddb-1",
            source = "test",
            accountId = "CUST0001",
            tableName = "orders",
            region = "us-east-1",
            periodStart = At("2024-07-01T18:00:00Z").UtcDateTime,
            periodEnd = At("2024-07-02T06:00:00Z").UtcDateTime,
            readRequestUnits = 4_000_000,
            writeRequestUnits = 400_000,
        }, At("2024-07-02T06:00:00Z"));
        await new DailyUsageSink(DailyUsageStores.Of(api.Store)).WriteLinesAsync(PricedLines(), Ct);

        var (response, body) = await api.GetAsync("/v1/usage?service=DynamoDb&from=2024-07-01&to=2024-07-02&customerId=CUST0001");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """[{"date":"2024-07-01","quantity":2200000,"unit":"RequestUnits","cost":0.75,"costBasis":"Priced","estimate":null,"authoritative":null,"reconciled":false,"difference":null},{"date":"2024-07-02","quantity":2200000,"unit":"RequestUnits","cost":0.75,"costBasis":"Priced","estimate":null,"authoritative":null,"reconciled":false,"difference":null}]""",
            body.GetProperty("days").GetRawText());
    }

    [Fact]
    public async Task Customer_ReadsItsOwnAccount_WithOrWithoutNamingIt()
    {
        await using var api = await ApiServer.StartAsync();
        await StoreCdnJulyAsync(api, "CUST0001");
        await StoreCdnJulyAsync(api, "CUST0002", scale: 7);
        using var customer = api.CustomerClient("CUST0001");

        using var implicitly = await customer.GetAsync(new Uri("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01", UriKind.Relative), Ct);
        using var named = await customer.GetAsync(new Uri("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01&customerId=CUST0001", UriKind.Relative), Ct);

        foreach (var response in new[] { implicitly, named })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var day = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("days").EnumerateArray());
            Assert.Equal("12.5", day.GetProperty("quantity").GetRawText());
        }
    }

    [Fact]
    public async Task Customer_AskingForAnotherAccount_Gets404_WithNothingOfIt()
    {
        await using var api = await ApiServer.StartAsync();
        await StoreCdnJulyAsync(api, "CUST0002", scale: 7);
        using var customer = api.CustomerClient("CUST0001");

        using var response = await customer.GetAsync(new Uri("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-03&customerId=CUST0002", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("CUST0002", text, StringComparison.Ordinal);
        Assert.DoesNotContain("87.5", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_MustNameTheAccount_AndReadsAny()
    {
        await using var api = await ApiServer.StartAsync();
        await StoreCdnJulyAsync(api, "CUST0002", scale: 7);

        var (unnamed, problem) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01");
        var (named, body) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01&customerId=CUST0002");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (unnamed.StatusCode, named.StatusCode));
        Assert.True(problem.GetProperty("errors").TryGetProperty("customerId", out _));
        Assert.Equal(("CUST0002", "87.5"), (body.GetProperty("customerId").GetString(), body.GetProperty("days")[0].GetProperty("quantity").GetRawText()));
    }

    [Theory]
    [InlineData("from=2024-07-01&to=2024-07-31", "service")]
    [InlineData("service=bandwidth&from=2024-07-01&to=2024-07-31", "service")]
    [InlineData("service=4&from=2024-07-01&to=2024-07-31", "service")]
    [InlineData("service=Cdn&to=2024-07-31", "from")]
    [InlineData("service=Cdn&from=2024-7-1&to=2024-07-31", "from")]
    [InlineData("service=Cdn&from=2024-02-30&to=2024-07-31", "from")]
    [InlineData("service=Cdn&from=2024-07-01T00:00:00Z&to=2024-07-31", "from")]
    [InlineData("service=Cdn&from=2024-07-01&to=%27%3B%20DROP%20TABLE%20daily_usage%3B--", "to")]
    [InlineData("service=Cdn&from=2024-07-31&to=2024-07-01", "to")]
    [InlineData("service=Cdn&from=2024-01-01&to=2025-01-01", "to")]
    public async Task BadInput_Is400ProblemNamingTheParameter(string query, string parameter)
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/v1/usage?customerId=CUST0001&" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out _), body.GetRawText());
    }

    [Fact]
    public async Task TheLongestPeriod_366Days_IsOnePointPerDay()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.GetAsync("/v1/usage?service=Ec2&from=2024-01-01&to=2024-12-31&customerId=CUST0001");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(366, body.GetProperty("days").GetArrayLength());
        Assert.Equal("2024-12-31", body.GetProperty("days")[365].GetProperty("date").GetString());
    }

    [Fact]
    public async Task AnOperatorsOverlongOrControlCharacterAccount_Is400()
    {
        await using var api = await ApiServer.StartAsync();

        var (longId, _) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01&customerId=" + new string('A', 129));
        var (nul, _) = await api.GetAsync("/v1/usage?service=Cdn&from=2024-07-01&to=2024-07-01&customerId=CUST%0001");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (longId.StatusCode, nul.StatusCode));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheCostBasesAndTheDayShape()
    {
        await using var api = await ApiServer.StartAsync();

        var (_, body) = await api.GetAsync("/openapi/v1.json");

        var get = body.GetProperty("paths").GetProperty("/v1/usage").GetProperty("get");
        Assert.All(["Priced", "Authoritative", "Estimate", "reconciled"], word => Assert.Contains(word, get.GetProperty("description").GetString(), StringComparison.Ordinal));
        var point = body.GetProperty("components").GetProperty("schemas").GetProperty(nameof(DailyUsagePoint)).GetProperty("properties");
        Assert.Equal(
            ["authoritative", "cost", "costBasis", "date", "difference", "estimate", "quantity", "reconciled", "unit"],
            point.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _pricing.Dispose();

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static CdnTraffic Traffic(string eventId, string customer, CdnDataSource source, string from, string until, long bytes) => new()
    {
        eventId = eventId,
        source = "test",
        customerId = customer,
        distributionId = "dist-" + customer,
        dataSource = source,
        periodStart = At(from).UtcDateTime,
        periodEnd = At(until).UtcDateTime,
        bytes = bytes,
    };

    /// <summary>The July days of the class summary for <paramref name="customer"/>, every byte count times <paramref name="scale"/>.</summary>
    private async Task StoreCdnJulyAsync(ApiServer api, string customer, long scale = 1)
    {
        var sink = new DailyUsageSink(DailyUsageStores.Of(api.Store));
        var resent = Traffic($"{customer}-cw-1", customer, CdnDataSource.CloudWatch, "2024-07-01T00:00:00Z", "2024-07-01T00:05:00Z", 4 * Gb * scale);
        await sink.WriteEstimatesAsync(
            [
                resent,
                Traffic($"{customer}-cw-2", customer, CdnDataSource.CloudWatch, "2024-07-01T12:00:00Z", "2024-07-01T12:05:00Z", 8_200_000_000 * scale),
                resent,
                Traffic($"{customer}-cw-3", customer, CdnDataSource.CloudWatch, "2024-07-01T23:58:00Z", "2024-07-02T00:02:00Z", 400_000_000 * scale),
                Traffic($"{customer}-cw-4", customer, CdnDataSource.CloudWatch, "2024-07-02T10:00:00Z", "2024-07-02T10:05:00Z", 1 * Gb * scale),
            ],
            Ct);

        // Cost Explorer's figure for July 1 arrives a day later and is priced by the pricing topology.
        var figures = _pricing.CreateInputTopic(Topics.CdnCostExplorer, Streams.Serdes.Utf8, _serdes.For<CdnTraffic>());
        figures.PipeInput(customer, Traffic($"{customer}-ce-1", customer, CdnDataSource.CostExplorer, "2024-07-01T00:00:00Z", "2024-07-02T00:00:00Z", 12_500_000_000 * scale), At("2024-07-02T23:00:00Z"));
        await sink.WriteLinesAsync(PricedLines(), Ct);
    }

    /// <summary>Cost Explorer's figure for <paramref name="day"/>, priced by the pricing topology and stored by the sink.</summary>
    private async Task PriceFigureAsync(DailyUsageSink sink, string customer, string eventId, string day, long bytes)
    {
        var start = At(day + "T00:00:00Z");
        var figures = _pricing.CreateInputTopic(Topics.CdnCostExplorer, Streams.Serdes.Utf8, _serdes.For<CdnTraffic>());
        figures.PipeInput(customer, Traffic(eventId, customer, CdnDataSource.CostExplorer, day + "T00:00:00Z", start.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture), bytes), start.AddDays(2));
        await sink.WriteLinesAsync(PricedLines(), Ct);
    }

    private List<PricedLineItem> PricedLines() =>
        [.. _pricing.CreateOutputTopic(Topics.PricedLines, Streams.Serdes.Utf8, _serdes.For<PricedLineItem>()).ReadRecordsToList().Select(r => r.Value)];
}
