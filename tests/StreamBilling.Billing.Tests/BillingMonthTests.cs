using System.Text.Json;

namespace StreamBilling.Billing.Tests;

/// <summary>A billing month's text form, <c>yyyy-MM</c>: read, written, and in JSON as a value and as a dictionary key.</summary>
public sealed class BillingMonthTests
{
    [Theory]
    [InlineData("2021-08", 2021, 8)]
    [InlineData("0001-01", 1, 1)]
    [InlineData("9998-12", 9998, 12)]
    public void Parse_YearDashMonth_GivesTheMonth_AndToStringWritesItBack(string text, int year, int month)
    {
        var parsed = BillingMonth.Parse(text);

        Assert.Equal((year, month, text), (parsed.Year, parsed.Month, parsed.ToString()));
    }

    [Theory]
    [InlineData("2021-13")]
    [InlineData("2021-08-01")]
    [InlineData("August 2021")]
    [InlineData("9999-01")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotAMonth_IsFalse(string? text) => Assert.False(BillingMonth.TryParse(text, out _));

    [Fact]
    public void PreviousAndNext_CrossTheYearEnd()
    {
        var january = new BillingMonth(2022, 1);

        Assert.Equal((new BillingMonth(2021, 12), january), (january.Previous, january.Previous.Next));
    }

    [Fact]
    public void Json_IsTheText_AsAValueAndAsADictionaryKey()
    {
        var revisions = new Dictionary<BillingMonth, long> { [new BillingMonth(2021, 8)] = 3 };

        var json = JsonSerializer.Serialize(new { Month = (BillingMonth?)new BillingMonth(2021, 9), None = (BillingMonth?)null, Revisions = revisions });

        Assert.Equal("""{"Month":"2021-09","None":null,"Revisions":{"2021-08":3}}""", json);
        Assert.Equal(revisions, JsonSerializer.Deserialize<Dictionary<BillingMonth, long>>("""{"2021-08":3}"""));
    }

    [Fact]
    public void Json_NotAMonth_IsRefused() => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BillingMonth>("\"2021-8x\""));
}
