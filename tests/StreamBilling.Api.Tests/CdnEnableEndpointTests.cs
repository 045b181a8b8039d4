using System.Net;
using System.Net.Http.Json;
using System.Text;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Cdn;
using StreamBilling.Storage;

namespace StreamBilling.Api.Tests;

public sealed class CdnEnableEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enable_DisabledCustomer_EnablesInTheStoreAndPublishesCdnStatusChanged()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, body) = await api.PostAsync("/v1/customers/CUST0007/cdn/enable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await api.Store.GetAsync("CUST0007", Ct);
        Assert.Equal((DistributionStatus.Enabled, "operator enable", ApiServer.Now), (stored!.Status, stored.Reason, stored.ChangedAt));
        var change = Assert.Single(api.Published.Changes);
        Assert.Equal(
            (CdnController.StatusChangeId(stored.CauseId), "CUST0007", "dist-CUST0007", CdnDistributionStatus.Enabled, CdnDistributionStatus.Disabled, stored.CauseId),
            (change.eventId, change.customerId, change.distributionId, change.status, change.previousStatus, change.causeEventId));
        Assert.True(body.GetProperty("changed").GetBoolean());
        Assert.Equal(change.eventId, body.GetProperty("eventId").GetString());
        Assert.Equal("Enabled", body.GetProperty("distribution").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Enable_WithReason_RecordsTheReasonInStoreAndEvent()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, body) = await api.PostAsync("/v1/customers/CUST0007/cdn/enable", JsonContent.Create(new { reason = "ticket 42: customer paid" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("operator enable: ticket 42: customer paid", (await api.Store.GetAsync("CUST0007", Ct))!.Reason);
        Assert.Equal("operator enable: ticket 42: customer paid", Assert.Single(api.Published.Changes).reason);
        Assert.Equal("operator enable: ticket 42: customer paid", body.GetProperty("distribution").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Enable_Repeated_Answers200UnchangedAndPublishesTheSameEventAgain()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");
        await api.PostAsync("/v1/customers/CUST0007/cdn/enable");
        api.Clock.Advance(TimeSpan.FromMinutes(2));

        var (response, body) = await api.PostAsync("/v1/customers/CUST0007/cdn/enable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.GetProperty("changed").GetBoolean());
        var changes = api.Published.Changes;
        Assert.Equal(2, changes.Count);
        Assert.Equal((changes[0].eventId, changes[0].changedAt, changes[0].reason), (changes[1].eventId, changes[1].changedAt, changes[1].reason));
        Assert.Equal(ApiServer.Now, (await api.Store.GetAsync("CUST0007", Ct))!.ChangedAt);
    }

    [Fact]
    public async Task Enable_AfterANewCap_EnablesAgainWithANewEvent()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007", "decision-1");
        await api.PostAsync("/v1/customers/CUST0007/cdn/enable");
        await api.DisableAsync("CUST0007", "decision-2");

        var (response, body) = await api.PostAsync("/v1/customers/CUST0007/cdn/enable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("changed").GetBoolean());
        var changes = api.Published.Changes;
        Assert.Equal(2, changes.Count);
        Assert.NotEqual(changes[0].eventId, changes[1].eventId);
    }

    [Fact]
    public async Task Enable_UnknownCustomer_Returns404ProblemDetailsAndPublishesNothing()
    {
        await using var api = await ApiServer.StartAsync();

        var (response, body) = await api.PostAsync("/v1/customers/CUST9999/cdn/enable");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Unknown customer", body.GetProperty("title").GetString());
        Assert.Empty(api.Published.Changes);
        Assert.Null(await api.Store.GetAsync("CUST9999", Ct));
    }

    [Fact]
    public async Task Enable_ReasonTooLong_Returns400ProblemDetailsAndChangesNothing()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, body) = await api.PostAsync("/v1/customers/CUST0007/cdn/enable", JsonContent.Create(new { reason = new string('x', CdnEndpoints.MaxReasonLength + 1) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(DistributionStatus.Disabled, (await api.Store.GetAsync("CUST0007", Ct))!.Status);
        Assert.Empty(api.Published.Changes);
    }

    [Fact]
    public async Task Enable_MalformedJsonBody_Returns400AndChangesNothing()
    {
        await using var api = await ApiServer.StartAsync();
        await api.DisableAsync("CUST0007");

        var (response, _) = await api.PostAsync("/v1/customers/CUST0007/cdn/enable", new StringContent("{\"reason\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(DistributionStatus.Disabled, (await api.Store.GetAsync("CUST0007", Ct))!.Status);
        Assert.Empty(api.Published.Changes);
    }
}
