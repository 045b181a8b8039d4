using System.Globalization;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Cdn;

/// <summary>
/// Sums authoritative (Cost Explorer) CDN bytes per customer and billing period and emits one EVENT_CDN_USAGE message per
/// customer and period once the period has settled.
/// </summary>
/// <remarks>
/// Periods are a fixed grid (24 h from UTC midnight by default) and each message starts where the previous one ended, so
/// periods neither overlap nor leave gaps; a period without traffic still gets a message (0 GB), so every known customer
/// hears at least every 24 h. A message goes out when stream time passes period end + settle delay (Cost Explorer is about
/// a day late); when the input falls silent, stream time is taken to move on with the wall clock
/// (<see cref="SilentInputClock"/>), so the messages keep coming without new figures. Bytes reported later for a period already sent are carried into the next message: exposed once, never
/// lost. The message id is customer + period start, and its content depends only on the input order, so a replay or a
/// restart from the changelog sends the same message for the same period.
/// </remarks>
internal sealed class CdnUsageMessageProcessor(CdnUsageMessageOptions options, string storeName, ISerde<CdnTraffic> trafficSerde) : IProcessor<string, CdnTraffic>
{
    private const string MessageType = "EVENT_CDN_USAGE";
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, CustomerUsage> _store = null!;
    private SilentInputClock? _silence;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _store = context.GetStateStore<IKeyValueStore<string, CustomerUsage>>(storeName);
        context.Schedule(options.CheckInterval, PunctuationType.StreamTime, SendSettledPeriods);
        if (options.SilentAfter is { } silentAfter)
        {
            _silence = new SilentInputClock(silentAfter);
            context.Schedule(options.SilenceCheckInterval, PunctuationType.WallClockTime, now =>
            {
                if (_silence.EffectiveTime(now) is { } time)
                {
                    SendSettledPeriods(time);
                }
            });
        }
    }

    public void Process(Record<string, CdnTraffic> record)
    {
        _silence?.Observe(_context.StreamTime, _context.WallClockTime);
        var traffic = record.Value;
        if (traffic.dataSource != CdnDataSource.CostExplorer)
        {
            _context.SendToLateRecords(record, "wrong-data-source: billing messages use Cost Explorer figures only", Serdes.Utf8, trafficSerde);
            return;
        }

        var customer = traffic.customerId;
        var periodStart = PeriodOf(AvroTime.From(traffic.periodStart));
        if (!_store.TryGet(customer, out var usage))
        {
            usage = new CustomerUsage { NextPeriodStart = periodStart };
        }

        if (!usage.Seen.TryAdd(traffic.eventId, periodStart))
        {
            return;
        }

        if (periodStart < usage.NextPeriodStart)
        {
            usage.CarriedBytes += traffic.bytes;
        }
        else
        {
            usage.PendingBytes[periodStart.UtcTicks] = usage.PendingBytes.GetValueOrDefault(periodStart.UtcTicks) + traffic.bytes;
        }

        _store.Put(customer, usage);
    }

    public void Close()
    {
    }

    /// <summary>Message id (and payload id): customer + period start, as the schema defines it.</summary>
    internal static string MessageId(string customerId, DateTimeOffset periodStart) =>
        DeterministicId.FromParts("cdn-usage", customerId, periodStart.UtcTicks.ToString(CultureInfo.InvariantCulture));

    private DateTimeOffset PeriodOf(DateTimeOffset time)
    {
        var sinceEpoch = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var remainder = sinceEpoch % options.Period.Ticks;
        if (remainder < 0)
        {
            remainder += options.Period.Ticks;
        }

        return new DateTimeOffset(time.UtcTicks - remainder, TimeSpan.Zero);
    }

    private void SendSettledPeriods(DateTimeOffset streamTime)
    {
        foreach (var (customer, usage) in _store.All().ToList())
        {
            var sent = false;
            while (usage.NextPeriodStart + options.Period + options.SettleDelay <= streamTime)
            {
                var start = usage.NextPeriodStart;
                var end = start + options.Period;
                usage.PendingBytes.Remove(start.UtcTicks, out var bytes);
                Send(customer, start, end, bytes + usage.CarriedBytes, streamTime);
                usage.CarriedBytes = 0;
                usage.NextPeriodStart = end;
                sent = true;
            }

            if (sent)
            {
                var forgetBefore = usage.NextPeriodStart - options.DuplicateRetention;
                foreach (var old in usage.Seen.Where(s => s.Value < forgetBefore).Select(s => s.Key).ToList())
                {
                    usage.Seen.Remove(old);
                }

                _store.Put(customer, usage);
            }
        }
    }

    private void Send(string customer, DateTimeOffset start, DateTimeOffset end, long bytes, DateTimeOffset streamTime)
    {
        var id = MessageId(customer, start);
        var message = new CdnUsageBillingMessage
        {
            eventId = id,
            source = options.Source,
            type = MessageType,
            payload = new CdnUsagePayload
            {
                id = id,
                customerId = customer,
                startPeriod = AvroTime.To(start),
                endPeriod = AvroTime.To(end),
                trafficUsageGb = AvroDecimals.Quantity(bytes / (decimal)CdnCapLimit.BytesPerGb),
            },
        };
        _context.Forward(new Record<string, CdnUsageBillingMessage>(customer, message, streamTime) { Id = id });
    }
}
