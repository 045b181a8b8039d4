using static StreamBilling.Billing.Tests.Fixtures;

namespace StreamBilling.Billing.Tests;

public sealed class MonthSplitterTests
{
    [Fact]
    public void Split_WithinOneMonth_OnePieceWithExactTime()
    {
        var piece = Assert.Single(MonthSplitter.Split(T("2021-08-15T10:00:00"), T("2021-08-15T15:30:45")));

        Assert.Equal(new BillingMonth(2021, 8), piece.Month);
        Assert.Equal(new TimeSpan(5, 30, 45), piece.UsedTime);
        Assert.Equal(6, piece.BilledHours);
    }

    [Fact]
    public void Split_AcrossMidnightAtMonthEnd_EachPieceRoundedUpOnItsOwn()
    {
        var pieces = MonthSplitter.Split(T("2021-07-31T23:30:00"), T("2021-08-01T00:30:00")).ToList();

        Assert.Equal([new BillingMonth(2021, 7), new BillingMonth(2021, 8)], pieces.Select(p => p.Month));
        Assert.All(pieces, p => Assert.Equal(TimeSpan.FromMinutes(30), p.UsedTime));
        Assert.All(pieces, p => Assert.Equal(1, p.BilledHours));
    }

    [Fact]
    public void Split_SeedRow2_JuneJulyAugustPieces()
    {
        var pieces = MonthSplitter.Split(T("2021-06-18T10:00:00"), T("2021-08-15T15:30:45")).ToList();

        Assert.Equal(3, pieces.Count);
        Assert.Equal(T("2021-07-01T00:00:00"), pieces[0].Until);
        Assert.Equal(TimeSpan.FromHours((12 * 24) + 14), pieces[0].UsedTime);
        Assert.Equal(TimeSpan.FromDays(31), pieces[1].UsedTime);
        Assert.Equal(new TimeSpan(14, 15, 30, 45), pieces[2].UsedTime);
        Assert.Equal([302L, 744L, 352L], pieces.Select(p => p.BilledHours));
    }

    [Fact]
    public void Split_EmptyInterval_OneEmptyPieceInItsMonth()
    {
        var piece = Assert.Single(MonthSplitter.Split(T("2021-08-15T10:00:00"), T("2021-08-15T10:00:00")));

        Assert.Equal(TimeSpan.Zero, piece.UsedTime);
        Assert.Equal(0, piece.BilledHours);
    }

    [Fact]
    public void Split_UntilBeforeFrom_Throws()
    {
        Assert.Throws<ArgumentException>(() => MonthSplitter.Split(T("2021-08-15T10:00:00"), T("2021-08-15T09:00:00")));
    }

    [Fact]
    public void Split_EndsExactlyAtMonthStart_NoEmptyPieceInNextMonth()
    {
        var piece = Assert.Single(MonthSplitter.Split(T("2021-07-31T22:00:00"), T("2021-08-01T00:00:00")));

        Assert.Equal(new BillingMonth(2021, 7), piece.Month);
    }

    [Fact]
    public void Split_OffsetTimestamp_CutInUtc()
    {
        // 01:00 at +02:00 on 1 August is still 31 July in UTC.
        var from = new DateTimeOffset(2021, 8, 1, 1, 0, 0, TimeSpan.FromHours(2));
        var piece = Assert.Single(MonthSplitter.Split(from, from.AddMinutes(30)));

        Assert.Equal(new BillingMonth(2021, 7), piece.Month);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(3600, 1)]
    [InlineData(3601, 2)]
    [InlineData(7200, 2)]
    public void BilledHours_Seconds_CeilingOfHours(int seconds, long expected)
    {
        Assert.Equal(expected, MonthSplitter.BilledHours(TimeSpan.FromSeconds(seconds)));
    }
}
