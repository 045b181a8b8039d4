using System.Globalization;
using StreamBilling.Billing.RateCards;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// Pairs the start and the end of a media run (key channelId or jobId; both topics co-partitioned) in a changelogged
/// store and prices the run once both ends are known, whichever came first. Line ids come from the start's eventId, so
/// a re-sent end prices the same lines under the same ids (sinks upsert); a re-sent start of a priced run is ignored. A
/// new start (another eventId) after a priced run begins a new run of the same channel or job.
/// </summary>
internal sealed class MediaRunPricer(string storeName, string kind, Func<string, MediaEdge, MediaEdge, IReadOnlyList<Billing.UsagePricing.PricedLine>> price, string source)
    : IProcessor<string, MediaEdge>
{
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, MediaRun> _runs = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _runs = context.GetStateStore<IKeyValueStore<string, MediaRun>>(storeName);
    }

    public void Process(Record<string, MediaEdge> record)
    {
        var edge = record.Value;
        var run = _runs.TryGet(record.Key, out var stored) && stored is not null ? stored : new MediaRun();
        if (edge.IsStart)
        {
            if (run.Start is { } start && run.End is not null)
            {
                if (start.EventId == edge.EventId)
                {
                    return; // a re-sent start of a priced run
                }

                run = new MediaRun(); // the channel (or job id) runs again
            }

            run.Start = edge;
        }
        else
        {
            run.End = edge;
        }

        _runs.Put(record.Key, run);
        if (run.Start is null || run.End is null)
        {
            return;
        }

        if (run.End.Time < run.Start.Time)
        {
            _context.SendToLateRecords(record, "invalid-run: it ends before it starts", Serdes.Utf8, Serdes.Json<MediaEdge>());
            return;
        }

        IReadOnlyList<Billing.UsagePricing.PricedLine> lines;
        try
        {
            lines = price(record.Key, run.Start, run.End);
        }
        catch (RateCardException e)
        {
            _context.SendToLateRecords(record, "no-rate: " + e.Message, Serdes.Utf8, Serdes.Json<MediaEdge>());
            return;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var id = DeterministicId.FromParts("priced-line", run.Start.EventId, kind, i.ToString(CultureInfo.InvariantCulture));
            var item = PricedLineItems.ToRecord(lines[i], id, source, role: null);
            _context.Forward(new Record<string, PricedLineItem>(run.Start.AccountId, item, record.Timestamp) { Id = id });
        }
    }

    public void Close()
    {
    }
}
