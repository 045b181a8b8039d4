using Avro.Specific;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamBilling.Contracts;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline.DailyUsage;
using StreamBilling.Pipeline.Hosting;
using StreamBilling.Simulation;
using StreamBilling.Storage;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>
/// One run of the billing pipeline wired as the host wires it (<c>AddCdnController</c> … <c>AddInstanceSessions</c>, with
/// pricing and invoices) on the fixture's cluster: simulated EC2 and CDN usage is published, the run waits until every application, the CdnController
/// the rollup sink and the daily usage sink have committed everything they read, and then collects what they wrote since the run began.
/// Application ids and consumer groups are unique to the run; output topics are read from their offsets at the start.
/// </summary>
public class PipelineRun(KafkaFixture kafka) : IAsyncLifetime
{
    /// <summary>
    /// Three days for four customers, two of them with a CDN burst (one per cap). Three days because Cost Explorer reports a
    /// day about 24 h late and its billing message waits 25 h for it; Sep 29 to Oct 2 2024 crosses an ISO week (Sep 30) and
    /// a month (Oct 1). Only the usage the topologies read is generated.
    /// </summary>
    public static readonly SimulationOptions Simulation = new()
    {
        Seed = 17,
        Customers = 4,
        Start = new DateTimeOffset(2024, 9, 29, 0, 0, 0, TimeSpan.Zero),
        Duration = TimeSpan.FromDays(3),
        InstancesPerCustomer = 25,
        TerminateBeforeLaunchRatio = 0.1,
        DuplicateRatio = 0.05,
        CdnBurstCustomerRatio = 0.5,
        MediaCustomerRatio = 0.5,
        ElasticIpRatio = 0,
        ReservedCustomerRatio = 0.5,
        MeteredStorage = false,
    };

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan BrokerTimeout = PipelineProgress.BrokerTimeout;
    private static readonly string[] OutputTopics = [Topics.UsageSegments, Topics.PricedLines, Topics.Invoices, Topics.CdnCaps, Topics.CdnStatus, Topics.CdnUsageMessages];

    /// <summary>
    /// The test collection of every class over a run: runs publish the same simulation to the same topics and collect the
    /// outputs written while they run, so two at once would collect each other's lines.
    /// </summary>
    public const string Collection = "pipeline runs";

    /// <summary>The rate card the pricing and invoice applications of the run price with (and the tests' bill engine too).</summary>
    public virtual string RateCardPath => Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json");

    /// <summary>Everything published, in publish order.</summary>
    public IReadOnlyList<SimulatedEvent> Events { get; private set; } = [];

    /// <summary>The simulated customers and their CDN bursts.</summary>
    public IReadOnlyList<SimulatedCustomer> Customers { get; private set; } = [];

    /// <summary>Every record written to <c>billing.usage-segments</c> (each partition in order, so later versions follow earlier ones).</summary>
    public IReadOnlyList<UsageSegment> Segments { get; private set; } = [];

    /// <summary>Every record written to <c>billing.priced-lines</c> (each partition in order).</summary>
    public IReadOnlyList<PricedLineItem> PricedLines { get; private set; } = [];

    /// <summary>Every record written to <c>billing.invoices</c> (each partition in order, so later revisions follow earlier ones).</summary>
    public IReadOnlyList<Invoice> Invoices { get; private set; } = [];

    /// <summary>Every record written to <c>cdn.caps</c>.</summary>
    public IReadOnlyList<CdnCapDecision> Decisions { get; private set; } = [];

    /// <summary>Every record written to <c>cdn.status</c>.</summary>
    public IReadOnlyList<CdnStatusChanged> StatusChanges { get; private set; } = [];

    /// <summary>Every record written to <c>billing.cdn-usage-messages</c>.</summary>
    public IReadOnlyList<CdnUsageBillingMessage> BillingMessages { get; private set; } = [];

    /// <summary>The analyst report for EC2 over the whole run, from the rollup store the sink filled.</summary>
    public IReadOnlyList<WeeklyUsage> WeeklyEc2 { get; private set; } = [];

    /// <summary>Each customer's daily CDN usage over the run's days, from the daily usage view the daily usage sink filled.</summary>
    public IReadOnlyDictionary<string, DailyUsageSeries> DailyCdn { get; private set; } = new Dictionary<string, DailyUsageSeries>();

    /// <summary>Each customer's CDN status in the store at the end (null: never changed).</summary>
    public IReadOnlyDictionary<string, CdnStatusRecord?> Statuses { get; private set; } = new Dictionary<string, CdnStatusRecord?>();

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(RunTimeout);
        var ct = timeout.Token;
        var simulator = new UsageSimulator(Simulation);
        Customers = simulator.Customers;
        Events = [.. simulator.Generate()];

        await kafka.Provisioner.EnsureTopicsAsync(Topics.AllWithDeadLetters(), ct);
        using var admin = kafka.Clients.CreateAdminClient();
        var (_, starts) = await admin.ListWatermarksAsync(Partitions(admin, OutputTopics), BrokerTimeout);
        var run = Guid.NewGuid().ToString("N")[..8];
        var host = BuildHost(run);
        try
        {
            await SimulatedCdnRegistry.LoadAsync(host.Services, Customers, ct);
            await host.StartAsync(ct);
            using (var publisher = kafka.Clients.CreateRecordPublisher([.. host.Services.GetServices<BackPressureGroup>()]))
            {
                foreach (var e in Events)
                {
                    await publisher.PublishAsync(e.Topic, e.Key, e.Value, e.Timestamp, ct);
                }

                publisher.Flush(ct);
            }

            await WaitUntilEverythingIsCommittedAsync(host, admin, run, ct);
            Segments = await ReadAsync<UsageSegment>(admin, Topics.UsageSegments, starts, ct);
            PricedLines = [.. (await ReadAsync<PricedLineItem>(admin, Topics.PricedLines, starts, ct)).Where(l => l.source == PricingSource(run))];
            Invoices = [.. (await ReadAsync<Invoice>(admin, Topics.Invoices, starts, ct)).Where(i => i.source == InvoicingSource(run))];
            Decisions = await ReadAsync<CdnCapDecision>(admin, Topics.CdnCaps, starts, ct);
            StatusChanges = await ReadAsync<CdnStatusChanged>(admin, Topics.CdnStatus, starts, ct);
            BillingMessages = await ReadAsync<CdnUsageBillingMessage>(admin, Topics.CdnUsageMessages, starts, ct);

            var rollups = host.Services.GetRequiredService<IRollupStore>();
            WeeklyEc2 = await WeeklyCostReport.QueryAsync(rollups, null, "Ec2", Simulation.Start.AddDays(-7), Simulation.Start + Simulation.Duration + TimeSpan.FromDays(7), ct);
            var statuses = host.Services.GetRequiredService<ICdnStatusStore>();
            var byCustomer = new Dictionary<string, CdnStatusRecord?>(StringComparer.Ordinal);
            foreach (var customer in Customers)
            {
                byCustomer[customer.CustomerId] = await statuses.GetAsync(customer.CustomerId, ct);
            }

            Statuses = byCustomer;
            var daily = host.Services.GetRequiredService<DailyUsageReport>();
            var (firstDay, lastDay) = (DateOnly.FromDateTime(Simulation.Start.UtcDateTime), DateOnly.FromDateTime((Simulation.Start + Simulation.Duration).UtcDateTime).AddDays(-1));
            var series = new Dictionary<string, DailyUsageSeries>(StringComparer.Ordinal);
            foreach (var customer in Customers)
            {
                series[customer.CustomerId] = await daily.QueryAsync(customer.CustomerId, ServiceKind.Cdn, firstDay, lastDay, ct);
            }

            DailyCdn = series;
            await host.StopAsync(ct);
        }
        finally
        {
            // The DuckDB store is only asynchronously disposable.
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The host's pipeline registrations against the fixture's cluster and registry, with ids unique to <paramref name="run"/>.</summary>
    private IHost BuildHost(string run)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(kafka.Cluster);
        builder.Services.AddSingleton(kafka.Registry);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"{CdnControllerSettings.SectionName}:GroupId"] = $"it-cdn-controller-{run}",
            [$"{RollupSinkSettings.SectionName}:GroupId"] = $"it-rollup-sink-{run}",
            [$"{DailyUsageSinkSettings.SectionName}:GroupId"] = $"it-daily-usage-{run}",
            [$"{DailyUsageSinkSettings.SectionName}:EstimatesGroupId"] = $"it-daily-usage-estimates-{run}",
            [$"{UsageStoreSettings.SectionName}:DuckDbPath"] = UsageStoreSettings.InMemory,

            // A temporary state directory per application, deleted when the run's host stops.
            [$"{StreamsHostSettings.SectionName}:StateDirectory"] = string.Empty,
        };
        foreach (var (section, name) in new[]
                 {
                     (PipelineSections.InstanceSessions, "sessions"), (PipelineSections.CdnCaps, "cdn-caps"),
                     (PipelineSections.HourlyRollups, "rollups"), (PipelineSections.CdnUsageMessages, "cdn-usage"),
                     (PipelineSections.Pricing, "pricing"), (PipelineSections.Invoices, "invoices"),
                 })
        {
            settings[$"{section}:ApplicationId"] = $"it-{name}-{run}";
            settings[$"{section}:CommitInterval"] = "00:00:00.200";
        }

        settings[$"{PipelineSections.Pricing}:RateCardPath"] = RateCardPath;
        settings[$"{PipelineSections.Invoices}:RateCardPath"] = RateCardPath;

        // Other hosts of the test process price the same topics with their own cards: the run's lines and invoices are
        // the ones its own applications signed.
        settings[$"{PipelineSections.Pricing}:Source"] = PricingSource(run);
        settings[$"{PipelineSections.Invoices}:Source"] = InvoicingSource(run);

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStreamBillingKafka();
        builder.AddCdnController();
        builder.AddRollupSink();
        builder.AddDailyUsageSink();
        builder.AddDailyUsageReport();
        builder.AddBillingTopologies();
        return builder.Build();
    }

    private static string PricingSource(string run) => $"it-pricing-{run}";

    private static string InvoicingSource(string run) => $"it-invoices-{run}";

    /// <summary>Waits until every application of the run, the CdnController and the rollup and daily usage sinks have committed everything they read.</summary>
    private Task WaitUntilEverythingIsCommittedAsync(IHost host, IAdminClient admin, string run, CancellationToken ct)
    {
        var groups = PipelineProgress.Applications(host, PipelineApplications.All)
            .Append(($"it-cdn-controller-{run}", [Topics.CdnCaps]))
            .Append(($"it-rollup-sink-{run}", [Topics.HourlyRollups]))
            .Append(($"it-daily-usage-{run}", [Topics.PricedLines]))
            .Append(($"it-daily-usage-estimates-{run}", [Topics.CdnTraffic]));
        return PipelineProgress.WaitUntilCommittedAsync(host, kafka.Clients, admin, groups, ct);
    }

    /// <summary>Every record of <paramref name="topic"/> from <paramref name="starts"/> to the current end, each partition in order.</summary>
    private async Task<IReadOnlyList<T>> ReadAsync<T>(IAdminClient admin, string topic, IReadOnlyDictionary<TopicPartition, long> starts, CancellationToken ct)
        where T : ISpecificRecord, new()
    {
        var partitions = starts.Keys.Where(p => p.Topic == topic).ToList();
        var (low, high) = await admin.ListWatermarksAsync(partitions, BrokerTimeout);
        var pending = partitions.Where(p => high[p] > starts[p]).ToList();
        Assert.All(pending, p => Assert.True(low[p] <= starts[p], $"{p} was truncated past the run's start"));
        if (pending.Count == 0)
        {
            return [];
        }

        using var consumer = kafka.Clients.CreateAvroConsumer<T>(KafkaFixture.NewGroupId("pipeline-read"));
        consumer.Assign(pending.Select(p => new TopicPartitionOffset(p, starts[p])));
        var records = await Polling.ConsumeAsync(consumer, (int)pending.Sum(p => high[p] - starts[p]), TimeSpan.FromSeconds(30));
        ct.ThrowIfCancellationRequested();
        return [.. records.Select(r => r.Message.Value)];
    }

    private static List<TopicPartition> Partitions(IAdminClient admin, IEnumerable<string> topics) => PipelineProgress.Partitions(admin, topics);
}
