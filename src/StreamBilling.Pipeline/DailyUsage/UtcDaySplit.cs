using StreamBilling.Storage;

namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>Splits a record's quantity and cost over the UTC days of its period, in proportion to time.</summary>
internal static class UtcDaySplit
{
    private const int QuantityScale = 9;
    private const int CostScale = 6;

    /// <summary>
    /// The pieces of [<paramref name="start"/>, <paramref name="end"/>) per UTC day: each day gets its share of the time,
    /// rounded to the store's scales (quantity 9, cost 6 places), and the last day the rest, so the pieces add up to the
    /// record exactly. A period without length (an instant) is one piece on its day.
    /// </summary>
    public static IReadOnlyList<DailyUsagePiece> Split(DateTimeOffset start, DateTimeOffset end, decimal quantity, decimal? cost)
    {
        if (end < start)
        {
            throw new ArgumentException($"Period ends ({end:O}) before it starts ({start:O}).", nameof(end));
        }

        var firstDay = AvroTime.DayOf(start);
        if (end - firstDay <= TimeSpan.FromDays(1))
        {
            return [new DailyUsagePiece(DateOnly.FromDateTime(firstDay.UtcDateTime), quantity, cost)];
        }

        var pieces = new List<DailyUsagePiece>();
        var total = (decimal)(end - start).Ticks;
        var (quantityLeft, costLeft) = (quantity, cost);
        for (var day = firstDay; day < end; day = day.AddDays(1))
        {
            var date = DateOnly.FromDateTime(day.UtcDateTime);
            var dayEnd = day.AddDays(1);
            if (dayEnd >= end)
            {
                pieces.Add(new DailyUsagePiece(date, quantityLeft, costLeft));
                break;
            }

            var share = (Min(dayEnd, end) - Max(day, start)).Ticks / total;
            var q = Math.Round(quantity * share, QuantityScale, MidpointRounding.AwayFromZero);
            decimal? c = cost is { } whole ? Math.Round(whole * share, CostScale, MidpointRounding.AwayFromZero) : null;
            pieces.Add(new DailyUsagePiece(date, q, c));
            quantityLeft -= q;
            costLeft -= c;
        }

        return pieces;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
