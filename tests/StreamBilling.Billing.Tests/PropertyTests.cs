using FsCheck;
using FsCheck.Fluent;
using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class PropertyTests
{
    private static readonly DateTimeOffset Origin = T("2019-01-01T00:00:00");

    /// <summary>Intervals from a few seconds to about 100 days, starting anywhere in three years.</summary>
    private static readonly Arbitrary<(DateTimeOffset From, DateTimeOffset Until)> Intervals =
        (from start in Gen.Choose(0, 3 * 365 * 24 * 60)
         from seconds in Gen.Frequency((3, Gen.Choose(0, 7200)), (2, Gen.Choose(0, 100 * 24 * 3600)))
         let begin = Origin.AddMinutes(start).AddSeconds(start % 60)
         select (begin, begin.AddSeconds(seconds))).ToArbitrary();

    [Fact]
    public void Split_AnyInterval_PiecesAddUpToTheWholeInterval()
    {
        Prop.ForAll(Intervals, interval =>
        {
            var pieces = MonthSplitter.Split(interval.From, interval.Until).ToList();
            var contiguous = pieces.Zip(pieces.Skip(1)).All(p => p.First.Until == p.Second.From);
            var total = pieces.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.UsedTime);
            return total == interval.Until - interval.From && contiguous
                && pieces[0].From == interval.From && pieces[^1].Until == interval.Until;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Split_AnyInterval_EachPieceInsideItsMonth()
    {
        Prop.ForAll(Intervals, interval =>
            MonthSplitter.Split(interval.From, interval.Until)
                .All(p => p.From >= p.Month.Start && p.Until <= p.Month.End && BillingMonth.Of(p.From) == p.Month))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Split_AnyInterval_BilledHoursCoverUsedTimeByLessThanAnHourPerPiece()
    {
        Prop.ForAll(Intervals, interval =>
            MonthSplitter.Split(interval.From, interval.Until).All(p =>
                TimeSpan.FromHours(p.BilledHours) >= p.UsedTime && TimeSpan.FromHours(p.BilledHours) - p.UsedTime < TimeSpan.FromHours(1)))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Calculate_AnyUsage_BilledHoursAtLeastUsedHoursOnEveryLine()
    {
        Prop.ForAll(UsageSets(), usage =>
            BillCalculator.Calculate(Input(usage)).Bills
                .SelectMany(b => b.Lines)
                .All(l => TimeSpan.FromHours(l.BilledHours) >= l.UsedTime))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Calculate_AnyUsage_DiscountsNeverExceedAmounts()
    {
        Prop.ForAll(UsageSets(), usage =>
        {
            var bills = BillCalculator.Calculate(Input(usage)).Bills;
            return bills.SelectMany(b => b.Lines).All(l => l.Discount <= l.Amount && l.FreeHours <= l.BilledHours && l.Discount >= 0)
                && bills.All(b => b.TotalDiscount <= b.TotalAmount && b.ActualAmount >= 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Calculate_AnyUsage_FreeHoursPerCustomerMonthAtMostTwoAllowances()
    {
        Prop.ForAll(UsageSets(), usage =>
            BillCalculator.Calculate(Input(usage)).Bills
                .All(b => b.Lines.Sum(l => l.FreeHours) <= 2 * BillCalculator.FreeHoursPerMonth))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Calculate_AnyUsage_BillsShowExactlyTheUsedTimeOfAllEvents()
    {
        Prop.ForAll(UsageSets(), usage =>
        {
            var result = BillCalculator.Calculate(Input(usage));

            // Rows the rules reject (e.g. t2.micro in Mumbai has no rate) are on no bill.
            var rejected = result.Issues.Select(i => i.Index).ToHashSet();
            var expected = usage.Where((_, i) => !rejected.Contains(i)).Aggregate(TimeSpan.Zero, (sum, u) => sum + (u.Until - u.From));
            return result.Bills.SelectMany(b => b.Lines).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.UsedTime) == expected;
        }).QuickCheckThrowOnFailure();
    }

    private static BillInput Input(UsageRecord[] usage) => new()
    {
        Customers = TwoCustomers(),
        Rates = RegionRates(),
        FreeTier = FreeTier(),
        Usage = usage,
    };

    /// <summary>Up to 30 micro and small instances of two customers in three regions, some running for weeks.</summary>
    private static Arbitrary<UsageRecord[]> UsageSets()
    {
        var row =
            from interval in Intervals.Generator
            from customer in Gen.Elements("CUST001", "CUST002")
            from instance in Gen.Choose(1, 6)
            from type in Gen.Elements("t3.micro", "t2.micro", "t3.small")
            from region in Gen.Elements(Ohio, Mumbai, MiddleEast)
            from os in Gen.Elements(InstanceOs.Linux, InstanceOs.Windows)
            select new UsageRecord(customer, $"i-{instance}", type, region, os, interval.From, interval.Until);
        return Gen.ArrayOf(row).Resize(30).ToArbitrary();
    }

    /// <summary>
    /// Usage, reservations and Elastic IPs anywhere on the calendar, the edges most often: a row the month arithmetic
    /// cannot bill is rejected with a reason, never an exception, and every other row is billed.
    /// </summary>
    [Fact]
    public void Calculate_AnyTimeOnTheCalendar_RejectedOrBilledNeverThrows()
    {
        var endOfCalendar = new DateTimeOffset(9998, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var lastDay = DateOnly.FromDateTime(DateTime.MaxValue).DayNumber;
        var day = Gen.Frequency(
            (2, Gen.Choose(0, lastDay)),
            (1, Gen.Choose(0, 62)),
            (1, Gen.Choose(endOfCalendar.UtcDateTime.Date.Subtract(DateTime.MinValue).Days - 62, endOfCalendar.UtcDateTime.Date.Subtract(DateTime.MinValue).Days + 31)),
            (1, Gen.Choose(lastDay - 62, lastDay)));
        var interval =
            from d in day
            from second in Gen.Choose(0, 86_399)
            from length in Gen.Frequency((3, Gen.Choose(0, 7200)), (1, Gen.Choose(0, 400 * 86_400)))
            let start = new DateTimeOffset(DateTime.MinValue.AddDays(d).AddSeconds(second), TimeSpan.Zero)
            select (From: start, Until: DateTimeOffset.MaxValue - start < TimeSpan.FromSeconds(length) ? DateTimeOffset.MaxValue : start.AddSeconds(length));

        Prop.ForAll(Gen.ArrayOf(interval).Resize(12).ToArbitrary(), intervals =>
        {
            var input = new BillInput
            {
                Customers = TwoCustomers(),
                Rates = RegionRates(),
                FreeTier = FreeTier(),
                Usage = [.. intervals.Select((t, i) => new UsageRecord("CUST001", $"i-{i % 3}", "t3.micro", Ohio, InstanceOs.Linux, t.From, t.Until))],
                ReservedInstances = [.. intervals.Select((t, i) => new ReservedInstance(
                    "CUST002", $"r-{i}", "t3.micro", Ohio, InstanceOs.Linux, MonthStart(t.From), MonthEnd(t.Until)))],
                ElasticIpAllocations = [.. intervals.Select((t, i) => new ElasticIpAllocation("CUST001", Ohio, $"52.0.0.{i}", t.From, t.Until, false))],
                ElasticIpAssociations = [.. intervals.Select((t, i) => new ElasticIpAssociation($"52.0.0.{i}", $"i-{i % 3}", t.From, t.Until))],
                ElasticIpRates = [new ElasticIpRate(Ohio, 0.005m)],
            };

            var result = BillCalculator.Calculate(input);

            // Everything ends by the end of the calendar or it is rejected; a reservation ends on the last day of its month.
            var outside = intervals.Select((t, i) => (t, i)).Where(x => x.t.Until >= endOfCalendar).Select(x => x.i).ToHashSet();
            var reservedOutside = intervals.Select((t, i) => (t, i)).Where(x => MonthEnd(x.t.Until) >= DateOnly.FromDateTime(endOfCalendar.UtcDateTime)).Select(x => x.i).ToHashSet();
            bool Rejected(InputKind kind, HashSet<int> expected) =>
                result.Issues.Where(i => i.Kind == kind).Select(i => i.Index).ToHashSet().SetEquals(expected);
            return Rejected(InputKind.Usage, outside) && Rejected(InputKind.ElasticIpAllocation, outside) && Rejected(InputKind.ElasticIpAssociation, outside)
                && Rejected(InputKind.ReservedInstance, reservedOutside)
                && result.MonthIssues.Count == 0;
        }).QuickCheckThrowOnFailure();
    }

    private static DateOnly MonthStart(DateTimeOffset time) => new(time.Year, time.Month, 1);

    private static DateOnly MonthEnd(DateTimeOffset time) => new(time.Year, time.Month, DateTime.DaysInMonth(time.Year, time.Month));
}
