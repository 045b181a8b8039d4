namespace StreamBilling.Kafka.Tests;

public sealed class KafkaOptionsValidatorTests
{
    private static bool IsValid(KafkaOptions options) => new KafkaOptionsValidator().Validate(null, options).Succeeded;

    [Fact]
    public void Defaults_AreValidEmbeddedMode()
    {
        var options = new KafkaOptions();
        Assert.True(options.IsEmbedded && IsValid(options));
    }

    [Theory]
    [InlineData("kafka:9092")]
    [InlineData("a:9092, b:9093")]
    public void BootstrapServers_HostPortList_IsValid(string servers) =>
        Assert.True(IsValid(new KafkaOptions { BootstrapServers = servers }));

    [Theory]
    [InlineData("kafka")]
    [InlineData("kafka:notaport")]
    [InlineData("kafka:70000")]
    [InlineData(":9092")]
    public void BootstrapServers_Malformed_IsRejected(string servers) =>
        Assert.False(IsValid(new KafkaOptions { BootstrapServers = servers }));

    [Theory]
    [InlineData("localhost:8081")]
    [InlineData("ftp://registry")]
    [InlineData("registry/path")]
    public void SchemaRegistryUrl_NotAbsoluteHttp_IsRejected(string url) =>
        Assert.False(IsValid(new KafkaOptions { SchemaRegistryUrl = url }));

    [Fact]
    public void SchemaRegistryUrl_Http_IsValid() =>
        Assert.True(IsValid(new KafkaOptions { BootstrapServers = "kafka:9092", SchemaRegistryUrl = "http://schema-registry:8081" }));

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void EmbeddedBrokers_OutOfRange_IsRejected(int brokers) =>
        Assert.False(IsValid(new KafkaOptions { EmbeddedBrokers = brokers }));

    [Fact]
    public void SessionTimeout_TooShort_IsRejected() =>
        Assert.False(IsValid(new KafkaOptions { SessionTimeout = TimeSpan.FromMilliseconds(200) }));

    [Fact]
    public void MaxLagPerPartition_Zero_IsRejected() =>
        Assert.False(IsValid(new KafkaOptions { MaxLagPerPartition = 0 }));

    [Fact]
    public void Failures_NameTheSetting()
    {
        var result = new KafkaOptionsValidator().Validate(null, new KafkaOptions { BootstrapServers = "nope" });
        Assert.Contains("Kafka:BootstrapServers", result.FailureMessage, StringComparison.Ordinal);
    }
}
