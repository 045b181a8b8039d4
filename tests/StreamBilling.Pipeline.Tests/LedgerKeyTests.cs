using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>A ledger key is stored as <c>account|L|id</c>, <c>account|A|id</c> or <c>account|S|id</c>, the text the invoice store has always used.</summary>
public sealed class LedgerKeyTests
{
    [Theory]
    [InlineData("CUST001|L|0a1b", "CUST001", LedgerEntryKind.Line, "0a1b")]
    [InlineData("CUST001|A|eipalloc-1", "CUST001", LedgerEntryKind.Allocation, "eipalloc-1")]
    [InlineData("CUST001|S|eipassoc-1|x", "CUST001", LedgerEntryKind.Association, "eipassoc-1|x")]
    internal void Parse_TheStoredText_GivesTheKey_AndToStringWritesItBack(string text, string account, LedgerEntryKind kind, string id)
    {
        var key = LedgerKey.Parse(text);

        Assert.Equal((new LedgerKey(account, kind, id), text), (key, key.ToString()));
    }

    [Theory]
    [InlineData("CUST001")]
    [InlineData("CUST001|X|id")]
    [InlineData("|L|id")]
    [InlineData("CUST001|L")]
    public void Parse_NotALedgerKey_Throws(string text) => Assert.Throws<FormatException>(() => LedgerKey.Parse(text));

    [Fact]
    public void TryParseOf_AKeyOfAnotherAccountInTheRange_IsFalse()
    {
        Assert.True(LedgerKey.TryParseOf("A", "A|L|line-1", out var own));
        Assert.Equal(new LedgerKey("A", LedgerEntryKind.Line, "line-1"), own);
        Assert.False(LedgerKey.TryParseOf("A", "A|B|L|line-1", out _));
    }
}
