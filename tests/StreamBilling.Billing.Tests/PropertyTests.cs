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
}
