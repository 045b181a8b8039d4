using System.Globalization;

namespace StreamBilling.Storage.Tests;

public sealed class IsoWeeksTests
{
    [Theory]
    [InlineData("2024-08-12T00:00:00Z", "2024-W33")]
    [InlineData("2024-12-30T00:00:00Z", "2025-W01")]
    [InlineData("2021-01-03T23:59:59Z", "2020-W53")]
    public void LabelAndStart_RoundTrip(string time, string label)
    {
        Assert.Equal(label, IsoWeeks.Of(At(time)));
        var start = IsoWeeks.StartOf(label);
        Assert.Equal((DayOfWeek.Monday, label), (start.DayOfWeek, IsoWeeks.Of(start)));
    }

    [Theory]
    [InlineData("2024-33")]
    [InlineData("2024-W54")]
    [InlineData("24-W33xx")]
    public void RejectsMalformedLabels(string label) =>
        Assert.Throws<FormatException>(() => IsoWeeks.StartOf(label));

    private static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
