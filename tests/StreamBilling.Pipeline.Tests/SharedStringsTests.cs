namespace StreamBilling.Pipeline.Tests;

public sealed class SharedStringsTests
{
    [Fact]
    public void Share_EqualStringsFromTwoRecords_GiveOneInstance_OtherValuesTheirOwn()
    {
        // Two decoded records bring two copies of the same id.
        var first = new string("CUST0001".AsSpan());
        var second = new string("CUST0001".AsSpan());
        Assert.NotSame(first, second);

        Assert.Same(SharedStrings.Share(first), SharedStrings.Share(second));
        Assert.Equal("us-east-1", SharedStrings.Share(new string("us-east-1".AsSpan())));
        Assert.NotSame(SharedStrings.Share(first), SharedStrings.Share(new string("CUST0002".AsSpan())));
    }
}
