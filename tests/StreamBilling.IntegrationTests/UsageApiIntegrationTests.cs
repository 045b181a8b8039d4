using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StreamBilling.Api;
using StreamBilling.Events.Outputs;
using StreamBilling.Storage;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.IntegrationTests;

/// <summary>The usage API's enable endpoint with the host's Kafka publisher: the event lands on the status topic.</summary>
public sealed class UsageApiIntegrationTests(KafkaFixture kafka)
{
    [Fact]
    public async Task EnableEndpoint_PublishesCdnStatusChangedKeyedByCustomerWithItsIdHeader()
    {
        var ct = TestContext.Current.CancellationToken;
        var topic = await kafka.CreateTopicAsync("cdn-status", partitions: 1);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("streambilling-keys-").FullName, "api-keys.json");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DuckDbPath"] = ":memory:", ["Api:Access:KeyFile"] = keyFile });
        builder.Services.AddSingleton<ICdnStatusPublisher>(_ => new KafkaCdnStatusPublisher(kafka.Clients, topic));
        builder.AddUsageApi();
        await using var app = builder.Build();
        app.MapUsageApi();
        await app.StartAsync(ct);
        var store = app.Services.GetRequiredService<IUsageStore>();
        await store.ApplyAsync(new CdnStatusUpdate("CUST0007", "dist-7", DistributionStatus.Disabled, "decision-1", "cap 100 GB/15m exceeded", DateTimeOffset.UtcNow), ct);
        using var client = app.GetTestClient();
        var operatorKey = app.Services.GetRequiredService<ApiKeyFile>().Create(ApiKeyRole.Operator, null, "test operator").Key;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorKey);

        using var response = await client.PostAsync(new Uri("/v1/customers/CUST0007/cdn/enable", UriKind.Relative), content: null, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var consumer = kafka.Clients.CreateAvroConsumer<CdnStatusChanged>(KafkaFixture.NewGroupId("usage-api"));
        consumer.Subscribe(topic);
        var record = Assert.Single(await Polling.ConsumeAsync(consumer, 1));
        consumer.Close();
        var stored = await store.GetAsync("CUST0007", ct);
        Assert.Equal(
            ("CUST0007", "CUST0007", "dist-7", CdnDistributionStatus.Enabled, stored!.CauseId),
            (record.Message.Key, record.Message.Value.customerId, record.Message.Value.distributionId, record.Message.Value.status, record.Message.Value.causeEventId));
        Assert.Equal(record.Message.Value.eventId, Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(StreamBilling.Streams.RecordHeaderNames.Id)));
        await app.StopAsync(ct);
        Directory.Delete(Path.GetDirectoryName(keyFile)!, recursive: true);
    }
}
