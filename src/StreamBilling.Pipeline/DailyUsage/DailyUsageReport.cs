using System.Globalization;
using StreamBilling.Billing;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;
using StreamBilling.Events.Common;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>
/// A customer's usage of one service per UTC day (<c>GET /v1/usage</c>), from the daily usage view. For CDN each day has
/// two figures: the <b>estimate</b>, the CloudWatch samples' GB priced here with the rate card's graduated per-GB tiers
/// on top of the month-to-date GB before the day (each earlier day of the month counted by its best figure:
/// authoritative when in, else estimate), and the <b>authoritative</b> figure, the Cost Explorer figure as the pricing
/// stream billed it. The day's cost rests on the authoritative figure once it is in; a day with both figures that differ
/// is reconciled, with the difference (authoritative minus estimate). Other services show their priced lines.
/// </summary>
/// <param name="store">The daily usage view.</param>
/// <param name="rateCard">The rate card the pricing stream bills with (the estimate is priced with it; its currency is the series' when nothing is stored).</param>
public sealed class DailyUsageReport(IDailyUsageStore store, RateCard rateCard)
{
    /// <summary>Most days one series may cover.</summary>
    public const int MaxDays = 366;

    private static readonly DailyUsageAmount Zero = new(0m, 0m);

    private readonly IDailyUsageStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly RateCard _rateCard = rateCard ?? throw new ArgumentNullException(nameof(rateCard));
    private readonly UsagePricer _pricer = new(rateCard);

    /// <summary>
    /// The unit a service's daily quantity is in. Quantities are summed only over lines in this unit (S3's request lines
    /// add cost only, as the hourly rollups do for every service but EC2); costs are summed over every line.
    /// </summary>
    public static string UnitOf(ServiceKind service) => service switch
    {
        ServiceKind.Ec2 or ServiceKind.ReservedInstance or ServiceKind.MediaLive or ServiceKind.ElasticIp => "Hours",
        ServiceKind.S3 => "GB-Months",
        ServiceKind.DynamoDb => "RequestUnits",
        ServiceKind.MediaConvert => "Minutes",
        ServiceKind.Cdn or ServiceKind.MediaPackage or ServiceKind.CloudFront or ServiceKind.S3Recording => "GB",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Unknown service."),
    };

    /// <summary>
    /// One point per UTC day from <paramref name="from"/> to <paramref name="to"/> (inclusive, at most <see cref="MaxDays"/>).
    /// </summary>
    /// <exception cref="DailyUsageConflictException">Costs in more than one currency, or no CDN rate for a day with an estimate.</exception>
    public async Task<DailyUsageSeries> QueryAsync(string customerId, ServiceKind service, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        if (to < from || to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(to), $"The period must run forward and cover at most {MaxDays} days.");
        }

        var cdn = service == ServiceKind.Cdn;
        var unit = UnitOf(service);

        // CDN estimates are priced on top of the month-to-date: read from the first day of from's month.
        var readFrom = cdn ? new DateOnly(from.Year, from.Month, 1) : from;
        var totals = await _store.DailyUsageAsync(customerId, service.ToString(), readFrom, to, cancellationToken);
        var currencies = totals.Where(t => t.Figure == DailyUsageFigure.Priced).Select(t => t.Currency).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count > 1)
        {
            throw new DailyUsageConflictException($"The {service} usage of the period is priced in more than one currency ({string.Join(", ", currencies)}).");
        }

        var currency = currencies.SingleOrDefault() ?? _rateCard.Currency;
        var byDay = totals.ToLookup(t => t.Day);
        var days = new List<DailyUsagePoint>(to.DayNumber - from.DayNumber + 1);
        var monthToDate = 0m;
        for (var day = readFrom; day <= to; day = day.AddDays(1))
        {
            if (day.Day == 1)
            {
                monthToDate = 0m;
            }

            var priced = byDay[day].Where(t => t.Figure == DailyUsageFigure.Priced).ToList();
            DailyUsagePoint point;
            if (!cdn)
            {
                var quantity = priced.Where(t => t.Unit == unit).Sum(t => t.Quantity);
                point = new DailyUsagePoint(day, Normal(quantity), unit, Normal(priced.Sum(t => t.Cost)), DailyCostBasis.Priced, null, null, false, null);
            }
            else
            {
                var authoritative = priced.Count == 0 ? null : new DailyUsageAmount(Normal(priced.Sum(t => t.Quantity)), Normal(priced.Sum(t => t.Cost)));
                var samples = byDay[day].Where(t => t.Figure == DailyUsageFigure.Estimate).ToList();
                DailyUsageAmount? estimate = null;
                if (samples.Count > 0)
                {
                    var gb = samples.Sum(t => t.Quantity);
                    estimate = new DailyUsageAmount(Normal(gb), Normal(PriceEstimate(customerId, day, gb, monthToDate)));
                }

                monthToDate += authoritative?.Quantity ?? estimate?.Quantity ?? 0m;
                var shown = authoritative ?? estimate ?? Zero;
                var reconciled = authoritative is not null && estimate is not null && authoritative != estimate;
                point = new DailyUsagePoint(
                    day,
                    shown.Quantity,
                    unit,
                    shown.Cost,
                    authoritative is null ? DailyCostBasis.Estimate : DailyCostBasis.Authoritative,
                    estimate,
                    authoritative,
                    reconciled,
                    reconciled ? new DailyUsageAmount(Normal(authoritative!.Quantity - estimate!.Quantity), Normal(authoritative.Cost - estimate.Cost)) : null);
            }

            if (day >= from)
            {
                days.Add(point);
            }
        }

        return new DailyUsageSeries(customerId, service.ToString(), from, to, currency, days);
    }

    /// <summary>The estimate's cost: <paramref name="gb"/> over the day, graduated on top of <paramref name="before"/> GB this month.</summary>
    private decimal PriceEstimate(string customerId, DateOnly day, decimal gb, decimal before)
    {
        if (gb == 0m)
        {
            return 0m;
        }

        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var usage = new MeteredUsage([], customerId, BillableService.Cdn, UsageTypes.CdnDataTransferOut, string.Empty, string.Empty, start, start.AddDays(1), gb);
        try
        {
            return _pricer.PriceMetered(usage, _ => before).Sum(l => l.Amount);
        }
        catch (RateCardException e)
        {
            throw new DailyUsageConflictException($"No CDN rate for {day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {e.Message}", e);
        }
    }

    /// <summary>The value without trailing zeros (12.5, not 12.500000000), so JSON shows what a person would write.</summary>
    private static decimal Normal(decimal value) => value / 1.0000000000000000000000000000m;
}
