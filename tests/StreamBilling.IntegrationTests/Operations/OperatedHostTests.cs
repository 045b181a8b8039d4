namespace StreamBilling.IntegrationTests.Operations;

/// <summary>The tests that read one <see cref="OperatedHost"/> (metrics, dashboards, fuzz).</summary>
[CollectionDefinition(Name)]
public sealed class OperatedHostTests : ICollectionFixture<OperatedHost>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "operated host";
}
