using StreamBilling.Pipeline.Cdn;

namespace StreamBilling.Pipeline.Tests;

public class CdnSampleBucketSerdeTests
{
    [Fact]
    public void RoundTrip_KeepsEverySample_WithNonAsciiIds()
    {
        var bucket = new CdnSampleBucket();
        bucket.Samples.Add(new CdnSampleBucket.Sample("évé-1", 638_000_000_000_000_000, 42));
        bucket.Samples.Add(new CdnSampleBucket.Sample(string.Empty, 0, long.MaxValue));

        var back = CdnSampleBucketSerde.Instance.Deserialize(CdnSampleBucketSerde.Instance.Serialize(bucket, default), default);

        Assert.Equal(bucket.Samples, back.Samples);
    }

    [Fact]
    public void BytesBetween_CountsOnlySamplesInTheRange()
    {
        var bucket = new CdnSampleBucket();
        bucket.Samples.Add(new CdnSampleBucket.Sample("a", 100, 1));
        bucket.Samples.Add(new CdnSampleBucket.Sample("b", 199, 2));
        bucket.Samples.Add(new CdnSampleBucket.Sample("c", 200, 4));

        Assert.Equal((3L, 4L, true, false), (bucket.BytesBetween(100, 200), bucket.BytesBetween(200, 300), bucket.Contains("b"), bucket.Contains("d")));
    }
}
