using System.Globalization;
using Confluent.Kafka;
using StreamBilling.Billing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Contracts;
using StreamBilling.Events.Common;
using StreamBilling.Events.Ec2;
using StreamBilling.Events.ElasticIp;
using StreamBilling.Events.Outputs;
using StreamBilling.Kafka;
using StreamBilling.Pipeline;
using StreamBilling.Pipeline.Invoicing;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Sessions;
using StreamBilling.Pipeline.Wire;
using StreamBilling.Streams.Kafka;

namespace StreamBilling.Cli.Commands;

/// <summary>
/// <c>bill --through-kafka</c>: replays a validated bill input as Avro events into Kafka, runs the session, pricing and
/// invoice topologies in-process, waits until each application has committed everything upstream produced, and returns
/// the latest invoice of every customer and month as bills.
/// </summary>
/// <remarks>
/// Each usage row is its own usage event, but InstanceSessionJoin keys sessions by instance id and pairs a terminate with
/// the latest open launch: two rows of one instance in flight at once could pair crosswise. So rows are published in
/// waves holding at most one row per instance, and a wave is published only after the session application has read the
/// one before. Months never close in a replay (no corrections): the input is a finished period, billed as a whole.
/// </remarks>
internal sealed class KafkaBillReplay(KafkaSession kafka, TextWriter log)
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(30);

    // Sessions never report interim hours and terminates wait for their launch as long as the replay lasts.
    private static readonly TimeSpan Forever = TimeSpan.FromDays(365 * 200);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Bills <paramref name="input"/> through the pipeline; rows listed in <paramref name="rejected"/> are left out, as in direct mode.</summary>
    public async Task<IReadOnlyList<MonthlyBill>> RunAsync(BillInput input, IReadOnlyList<InputIssue> rejected, CancellationToken cancellationToken)
    {
        var skip = rejected.Select(i => (i.Kind, i.Index)).ToHashSet();
        bool Valid(InputKind kind, int index) => !skip.Contains((kind, index));

        var customers = new Dictionary<string, Customer>(StringComparer.Ordinal);
        for (var i = 0; i < input.Customers.Count; i++)
        {
            if (Valid(InputKind.Customer, i))
            {
                customers.TryAdd(CanonicalId.Of(input.Customers[i].Id), input.Customers[i]);
            }
        }

        string AccountOf(string customerId) => CanonicalId.Display(customers[CanonicalId.Of(customerId)].Id);

        var card = RateCard.FromInstanceRates(
            input.Rates.Where((_, i) => Valid(InputKind.Rate, i)),
            input.FreeTier?.Where((_, i) => Valid(InputKind.FreeTier, i)).ToList(),
            input.ElasticIpRates.Where((_, i) => Valid(InputKind.ElasticIpRate, i)));

        var serdes = new AvroSerdes(kafka.Clients.SchemaRegistry);
        var sessions = PipelineTopologies.BuildInstanceSessions(serdes, new InstanceSessionOptions
        {
            ApplicationId = $"bill-replay-{_run}-sessions",
            InterimDelay = Forever,
            OrphanRetention = Forever,
            LateRecordsTopic = $"bill-replay-{_run}-sessions-late",
        });
        var pricing = PricingTopology.Build(serdes, new PricingOptions { ApplicationId = $"bill-replay-{_run}-pricing", RateCard = card });
        var invoiceSource = $"streambilling.invoices/bill-replay-{_run}";
        var invoicing = InvoiceTopology.Build(serdes, new InvoiceOptions
        {
            ApplicationId = $"bill-replay-{_run}-invoices",
            Source = invoiceSource,
            RateCard = card,
            MonthCloseGrace = null,
            CustomerNames = customers.ToDictionary(c => c.Key, c => c.Value.Name, StringComparer.Ordinal),
        });

        var applications = new List<KafkaStreams>();
        try
        {
            foreach (var topology in new[] { sessions, pricing, invoicing })
            {
                var streams = new KafkaStreams(topology, kafka.Clients, kafka.Provisioner, new KafkaStreamsOptions
                {
                    CommitInterval = TimeSpan.FromMilliseconds(100),
                    Guarantee = ProcessingGuarantee.AtLeastOnceIdempotent,

                    // A bill replays files of any period: what `bill` accepts, the replay must bill too, whatever today's date.
                    MaxEventTimeAhead = null,
                });
                applications.Add(streams);
                await streams.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            using var progress = new CommittedProgress(kafka.Clients, applications);
            using var publisher = kafka.Clients.CreateRecordPublisher();

            // Everything but usage goes with the first wave.
            var waves = UsageWaves(input, Valid);
            var others = OtherEvents(input, Valid, AccountOf).ToList();
            log.WriteLine($"replaying {waves.Sum(w => w.Count)} usage row(s) in {waves.Count} wave(s) and {others.Count} other event(s) through Kafka");
            for (var w = 0; w < Math.Max(1, waves.Count); w++)
            {
                var batch = w < waves.Count ? waves[w].SelectMany(i => UsageEvents(input.Usage[i], i, AccountOf)) : [];
                foreach (var (topic, key, value, time) in w == 0 ? batch.Concat(others) : batch)
                {
                    await publisher.PublishAsync(topic, key, value, time, cancellationToken).ConfigureAwait(false);
                }

                publisher.Flush(cancellationToken);
                await progress.WaitAsync(sessions, cancellationToken).ConfigureAwait(false);
            }

            await progress.WaitAsync(pricing, cancellationToken).ConfigureAwait(false);
            await progress.WaitAsync(invoicing, cancellationToken).ConfigureAwait(false);
            return ReadInvoices(invoiceSource);
        }
        finally
        {
            foreach (var streams in applications)
            {
                await streams.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Valid usage rows in waves of at most one row per instance (instance ids compared ignoring case and <c>-</c>).</summary>
    private static List<List<int>> UsageWaves(BillInput input, Func<InputKind, int, bool> valid)
    {
        var waves = new List<List<int>>();
        var rowsSoFar = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < input.Usage.Count; i++)
        {
            if (!valid(InputKind.Usage, i))
            {
                continue;
            }

            var key = CanonicalId.Of(input.Usage[i].InstanceId);
            var wave = rowsSoFar.GetValueOrDefault(key);
            rowsSoFar[key] = wave + 1;
            if (wave == waves.Count)
            {
                waves.Add([]);
            }

            waves[wave].Add(i);
        }

        return waves;
    }

    private static IEnumerable<(string Topic, string Key, Avro.Specific.ISpecificRecord Value, DateTimeOffset Time)> UsageEvents(UsageRecord row, int index, Func<string, string> accountOf)
    {
        var id = index.ToString(CultureInfo.InvariantCulture);
        var account = accountOf(row.CustomerId);
        yield return (Topics.InstanceLaunched, row.InstanceId, new InstanceLaunched
        {
            eventId = $"usage-{id}-launch",
            source = "streambilling.bill-replay",
            eventTime = row.From.UtcDateTime,
            accountId = account,
            instanceId = row.InstanceId,
            instanceType = row.InstanceType,
            region = row.Region,
            os = WireEnums.ToWire(row.Os),
            purchaseOption = PurchaseOption.OnDemand,
            tags = new Dictionary<string, string>(),
        }, row.From);
        yield return (Topics.InstanceTerminated, row.InstanceId, new InstanceTerminated
        {
            eventId = $"usage-{id}-terminate",
            source = "streambilling.bill-replay",
            eventTime = row.Until.UtcDateTime,
            accountId = account,
            instanceId = row.InstanceId,
            instanceType = row.InstanceType,
            region = row.Region,
            os = WireEnums.ToWire(row.Os),
            purchaseOption = PurchaseOption.OnDemand,
            tags = new Dictionary<string, string>(),
        }, row.Until);
    }

    /// <summary>Reservations as purchases; Elastic IP allocation rows as allocated + released; association rows as associated + disassociated per customer holding the address.</summary>
    private static IEnumerable<(string Topic, string Key, Avro.Specific.ISpecificRecord Value, DateTimeOffset Time)> OtherEvents(
        BillInput input, Func<InputKind, int, bool> valid, Func<string, string> accountOf)
    {
        const string Source = "streambilling.bill-replay";
        for (var i = 0; i < input.ReservedInstances.Count; i++)
        {
            if (!valid(InputKind.ReservedInstance, i))
            {
                continue;
            }

            var row = input.ReservedInstances[i];
            var start = new DateTimeOffset(row.StartDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = new DateTimeOffset(row.EndDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var account = accountOf(row.CustomerId);
            yield return (Topics.ReservedInstancePurchased, account, new ReservedInstancePurchased
            {
                eventId = $"reserved-{i}",
                source = Source,
                eventTime = start.UtcDateTime,
                accountId = account,
                reservationId = $"reservation-{i}",
                instanceId = row.InstanceId,
                instanceType = row.InstanceType,
                region = row.Region,
                os = WireEnums.ToWire(row.Os),
                term = end <= start.AddYears(1) ? ReservationTerm.OneYear : ReservationTerm.ThreeYears,
                termStart = start.UtcDateTime,
                termEnd = end.UtcDateTime,
            }, start);
        }

        // Associations name an address, not a customer: like the batch engine, each customer that held the address gets them.
        var holders = new Dictionary<string, List<(string Account, string AllocationId, string Region)>>(StringComparer.Ordinal);
        for (var i = 0; i < input.ElasticIpAllocations.Count; i++)
        {
            if (!valid(InputKind.ElasticIpAllocation, i))
            {
                continue;
            }

            var row = input.ElasticIpAllocations[i];
            var account = accountOf(row.CustomerId);
            var allocationId = $"allocation-{i}";
            if (!holders.TryGetValue(row.IpAddress, out var list))
            {
                holders[row.IpAddress] = list = [];
            }

            if (!list.Exists(h => h.Account == account))
            {
                list.Add((account, allocationId, row.Region));
            }

            yield return (Topics.ElasticIpAllocated, account, new ElasticIpAllocated
            {
                eventId = $"{allocationId}-allocated",
                source = Source,
                eventTime = row.From.UtcDateTime,
                accountId = account,
                allocationId = allocationId,
                publicIp = row.IpAddress,
                region = row.Region,
                byoip = row.IsOwnIp,
            }, row.From);
            yield return (Topics.ElasticIpReleased, account, new ElasticIpReleased
            {
                eventId = $"{allocationId}-released",
                source = Source,
                eventTime = row.Until.UtcDateTime,
                accountId = account,
                allocationId = allocationId,
                publicIp = row.IpAddress,
                region = row.Region,
                byoip = row.IsOwnIp,
            }, row.Until);
        }

        for (var i = 0; i < input.ElasticIpAssociations.Count; i++)
        {
            var row = input.ElasticIpAssociations[i];
            if (!valid(InputKind.ElasticIpAssociation, i) || !holders.TryGetValue(row.IpAddress, out var holding))
            {
                continue;
            }

            foreach (var (account, allocationId, region) in holding)
            {
                var associationId = $"association-{i}-{account}";
                yield return (Topics.ElasticIpAssociated, account, new ElasticIpAssociated
                {
                    eventId = $"{associationId}-associated",
                    source = Source,
                    eventTime = row.From.UtcDateTime,
                    accountId = account,
                    allocationId = allocationId,
                    publicIp = row.IpAddress,
                    region = region,
                    associationId = associationId,
                    instanceId = row.InstanceId,
                }, row.From);
                yield return (Topics.ElasticIpDisassociated, account, new ElasticIpDisassociated
                {
                    eventId = $"{associationId}-disassociated",
                    source = Source,
                    eventTime = row.Until.UtcDateTime,
                    accountId = account,
                    allocationId = allocationId,
                    publicIp = row.IpAddress,
                    region = region,
                    associationId = associationId,
                    instanceId = row.InstanceId,
                }, row.Until);
            }
        }
    }

    /// <summary>The latest invoice of this run per customer and month (the topic may hold other runs' invoices), as bills.</summary>
    private List<MonthlyBill> ReadInvoices(string source)
    {
        using var admin = kafka.Clients.CreateAdminClient();
        var partitions = CommittedProgress.PartitionsOf(admin, Topics.Invoices);
        var high = admin.ListWatermarksAsync(partitions, BrokerTimeout).GetAwaiter().GetResult().High;
        using var consumer = kafka.Clients.CreateAvroConsumer<Invoice>($"bill-replay-{_run}-reader", new KafkaConsumerOptions { WhenNoCommittedOffset = MissingOffsetPolicy.Earliest });
        var remaining = partitions.Where(p => high[p] > 0).ToHashSet();
        consumer.Assign(remaining.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var latest = new Dictionary<string, Invoice>(StringComparer.Ordinal);
        while (remaining.Count > 0)
        {
            var result = consumer.Consume(BrokerTimeout) ?? throw new TimeoutException($"{Topics.Invoices} returned no record within {BrokerTimeout}.");
            if (result.Message?.Value is { } invoice && invoice.source == source)
            {
                latest[invoice.invoiceId] = invoice;
            }

            if (result.Offset.Value + 1 >= high[result.TopicPartition])
            {
                remaining.Remove(result.TopicPartition);
            }
        }

        return [.. latest.Values.Select(InvoiceRecords.ToBill)];
    }
}
