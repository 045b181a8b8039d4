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
/// <remarks>
/// Retention, in stream time, checked by an hourly punctuation (deletes are changelogged, so a restore does not bring
/// runs back): a run with both ends is removed <see cref="PricingOptions.MediaRunRetention"/> after its later end; a
/// lone end that waited <see cref="PricingOptions.UnpairedMediaRunRetention"/> for its other end is sent to the
/// late-records topic (<c>unpaired-run</c>) and kept as reported for <see cref="PricingOptions.MediaRunRetention"/>, so
/// its other end, arriving then, follows it there instead of waiting again. An end that finds no run and is older than
/// <see cref="PricingOptions.MediaRunRetention"/> goes to the late-records topic (<c>run-pruned</c>): its run may have
/// been priced and removed, and pricing it again could bill the run twice.
/// </remarks>
internal sealed class MediaRunPricer(
    PricingOptions options, string storeName, string kind, Func<string, MediaEdge, MediaEdge, IReadOnlyList<Billing.UsagePricing.PricedLine>> price)
    : IProcessor<string, MediaEdge>
{
    private static readonly ISerde<MediaEdge> EdgeSerde = PipelineJson.Serde<MediaEdge>();
    private IProcessorContext _context = null!;
    private IKeyValueStore<string, MediaRun> _runs = null!;

    public void Init(IProcessorContext context)
    {
        _context = context;
        _runs = context.GetStateStore<IKeyValueStore<string, MediaRun>>(storeName);
        context.Schedule(TimeSpan.FromHours(1), PunctuationType.StreamTime, Prune);
    }

    public void Process(Record<string, MediaEdge> record)
    {
        var edge = record.Value;
        if (!_runs.TryGet(record.Key, out var run) || run is null)
        {
            if (_context.StreamTime - edge.Time >= options.MediaRunRetention)
            {
                _context.SendToLateRecords(
                    record,
                    string.Create(CultureInfo.InvariantCulture, $"run-pruned: no {kind} run for this {(edge.IsStart ? "start" : "end")}, older than the run retention ({options.MediaRunRetention}); it may have been priced and removed"),
                    Serdes.Utf8,
                    EdgeSerde);
                return;
            }

            run = new MediaRun();
        }
        else if (run.ReportedAt is not null)
        {
            if (run.Start?.EventId == edge.EventId || run.End?.EventId == edge.EventId)
            {
                return; // a re-sent end of a run already reported
            }

            if (!edge.IsStart || run.Start is null)
            {
                // The other end of a run whose first end was reported unpaired: it cannot be priced without it.
                Set(run, edge);
                _runs.Put(record.Key, run);
                _context.SendToLateRecords(record, string.Create(CultureInfo.InvariantCulture, $"unpaired-run: its {(edge.IsStart ? "end" : "start")} was reported unpaired at {run.ReportedAt:O}"), Serdes.Utf8, EdgeSerde);
                return;
            }

            run = new MediaRun(); // the channel (or job id) starts again after a start that never ended
        }

        if (edge.IsStart && run.Start is { } start && run.End is not null)
        {
            if (start.EventId == edge.EventId)
            {
                return; // a re-sent start of a priced run
            }

            run = new MediaRun(); // the channel (or job id) runs again
        }

        Set(run, edge);
        _runs.Put(record.Key, run);
        if (run.Start is null || run.End is null)
        {
            return;
        }

        if (run.End.Time < run.Start.Time)
        {
            _context.SendToLateRecords(record, "invalid-run: it ends before it starts", Serdes.Utf8, EdgeSerde);
            return;
        }

        IReadOnlyList<Billing.UsagePricing.PricedLine> lines;
        try
        {
            lines = price(record.Key, run.Start, run.End);
        }
        catch (RateCardException e)
        {
            _context.SendToLateRecords(record, "no-rate: " + e.Message, Serdes.Utf8, EdgeSerde);
            return;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var id = DeterministicId.FromParts("priced-line", run.Start.EventId, kind, i.ToString(CultureInfo.InvariantCulture));
            var item = PricedLineItems.ToRecord(lines[i], id, options.Source, role: null);
            _context.Forward(new Record<string, PricedLineItem>(run.Start.AccountId, item, record.Timestamp) { Id = id });
        }
    }

    public void Close()
    {
    }

    private static void Set(MediaRun run, MediaEdge edge)
    {
        if (edge.IsStart)
        {
            run.Start = edge;
        }
        else
        {
            run.End = edge;
        }
    }

    /// <summary>Removes runs past their retention and reports lone ends that waited too long for their other end.</summary>
    private void Prune(DateTimeOffset streamTime)
    {
        foreach (var (key, run) in _runs.All().ToList())
        {
            if (run.ReportedAt is { } reported)
            {
                if (streamTime - reported >= options.MediaRunRetention)
                {
                    _runs.Delete(key);
                }
            }
            else if (run is { Start: { } start, End: { } end })
            {
                // Priced (or reported invalid or unpriceable): kept only to recognise re-sent ends.
                if (streamTime - (start.Time > end.Time ? start.Time : end.Time) >= options.MediaRunRetention)
                {
                    _runs.Delete(key);
                }
            }
            else if ((run.Start ?? run.End) is { } lone && streamTime - lone.Time >= options.UnpairedMediaRunRetention)
            {
                // Never dropped silently: the lone end goes to the late-records topic with the reason.
                _context.SendToLateRecords(
                    new Record<string, MediaEdge>(key, lone, lone.Time),
                    string.Create(CultureInfo.InvariantCulture, $"unpaired-run: no {(lone.IsStart ? "end" : "start")} within {options.UnpairedMediaRunRetention}"),
                    Serdes.Utf8,
                    EdgeSerde);
                run.ReportedAt = streamTime;
                _runs.Put(key, run);
            }
        }
    }
}
