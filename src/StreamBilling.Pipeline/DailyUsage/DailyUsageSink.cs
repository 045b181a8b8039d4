using StreamBilling.Contracts;
using StreamBilling.Events.Cdn;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Sinks;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>
/// Fills the daily usage view (<see cref="IDailyUsageStore"/>) from what the pipeline produces: every priced line of
/// <c>billing.priced-lines</c> (for CDN these are the Cost Explorer figures, the authoritative ones) and every CloudWatch
/// sample of <c>usage.cdn.traffic</c> (the near-real-time CDN estimate), each stored under its eventId as the UTC days
/// it covers (split at midnight in proportion to time). Pricing re-emits a revised line under the same id and a
/// withdrawn one as a retraction, so storing by id keeps exactly the latest version; a re-delivered batch or a replayed
/// topic changes nothing.
/// </summary>
/// <param name="store">The daily usage view.</param>
public sealed class DailyUsageSink(IDailyUsageStore store)
{
    /// <summary>Default consumer group of the priced-line loop in the host.</summary>
    public const string DefaultGroupId = "streambilling-daily-usage-sink";

    /// <summary>Default consumer group of the CloudWatch sample loop in the host.</summary>
    public const string DefaultEstimatesGroupId = "streambilling-daily-usage-estimates";

    /// <summary>Unit of CDN quantities: GB (10^9 bytes), as the CDN rates are per GB.</summary>
    public const string GigabyteUnit = "GB";

    private const decimal BytesPerGb = 1_000_000_000m;

    private readonly IDailyUsageStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The priced-line loop: <c>billing.priced-lines</c>.</summary>
    internal StoreSinkDefinition<PricedLineItem> LinesDefinition => new("DailyUsage", Topics.PricedLines, WriteLinesAsync, ValidateLine);

    /// <summary>The estimate loop: <c>usage.cdn.traffic</c>.</summary>
    internal StoreSinkDefinition<CdnTraffic> EstimatesDefinition => new("DailyUsageEstimates", Topics.CdnTraffic, WriteEstimatesAsync, ValidateSample);

    /// <summary>Stores <paramref name="lines"/> (in topic order: a later version of a line replaces an earlier one).</summary>
    public Task WriteLinesAsync(IEnumerable<PricedLineItem> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return _store.UpsertDailyUsageAsync([.. lines.Select(ToSource)], cancellationToken);
    }

    /// <summary>Stores CloudWatch <paramref name="samples"/>; a re-sent sample (same eventId) replaces itself.</summary>
    public Task WriteEstimatesAsync(IEnumerable<CdnTraffic> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return _store.UpsertDailyUsageAsync([.. samples.Select(ToSource)], cancellationToken);
    }

    /// <summary>The view's record of a priced line: its days, or none for a retraction.</summary>
    public static DailyUsageSource ToSource(PricedLineItem line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var days = line.isRetraction
            ? []
            : UtcDaySplit.Split(AvroTime.From(line.usageStart), AvroTime.From(line.usageEnd), AvroDecimals.ToDecimal(line.quantity), AvroDecimals.ToDecimal(line.amount));
        return new DailyUsageSource(line.eventId, line.accountId, line.service.ToString(), DailyUsageFigure.Priced, line.unit, line.currency, days);
    }

    /// <summary>The view's record of a CloudWatch sample: its GB per day, unpriced.</summary>
    public static DailyUsageSource ToSource(CdnTraffic sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.dataSource != CdnDataSource.CloudWatch)
        {
            throw new ArgumentException($"Sample {sample.eventId} is from {sample.dataSource}, not CloudWatch: Cost Explorer figures reach the view priced, on billing.priced-lines.", nameof(sample));
        }

        var days = UtcDaySplit.Split(AvroTime.From(sample.periodStart), AvroTime.From(sample.periodEnd), sample.bytes / BytesPerGb, cost: null);
        return new DailyUsageSource(sample.eventId, sample.customerId, "Cdn", DailyUsageFigure.Estimate, GigabyteUnit, string.Empty, days);
    }

    /// <summary>Why a priced line cannot be stored (it is dead-lettered), or null.</summary>
    internal static string? ValidateLine(PricedLineItem line) =>
        string.IsNullOrWhiteSpace(line.eventId) ? "priced line without eventId"
        : string.IsNullOrWhiteSpace(line.accountId) ? $"priced line {line.eventId} without accountId"
        : line.usageEnd < line.usageStart ? $"priced line {line.eventId} ends before it starts"
        : null;

    /// <summary>
    /// Why a sample cannot be stored (it is dead-lettered), or null. The caps application sends the same records to its
    /// late topic; this copy says why the daily view left them out.
    /// </summary>
    internal static string? ValidateSample(CdnTraffic sample) =>
        string.IsNullOrWhiteSpace(sample.eventId) ? "CDN sample without eventId"
        : string.IsNullOrWhiteSpace(sample.customerId) ? $"CDN sample {sample.eventId} without customerId"
        : sample.dataSource != CdnDataSource.CloudWatch ? $"CDN sample {sample.eventId}: wrong-data-source {sample.dataSource} (only CloudWatch samples are estimates)"
        : sample.bytes < 0 || sample.periodEnd < sample.periodStart ? $"CDN sample {sample.eventId}: invalid-sample (negative bytes or period)"
        : null;
}
