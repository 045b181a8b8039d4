using System.Text.Json;
using Microsoft.Playwright;
using static StreamBilling.Portal.Tests.PortalPage;

namespace StreamBilling.Portal.Tests;

/// <summary>
/// The portal in headless Chromium against the running demo: what a customer and an operator see, checked against
/// what the usage API answers the same key at the same moment (the data has settled), and what a customer must not see.
/// Screenshots go to <c>test-results/</c> in the build output.
/// </summary>
public sealed class PortalBrowserTests(PortalFixture portal)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private DemoHost Host => portal.Host;

    [Fact]
    public async Task Customer_SignedIn_SeesTheLatestInvoiceAsTheApiAnswersIt()
    {
        var (account, key) = Host.Customer;
        var page = await portal.OpenPortalAsync();
        await page.SignInAsync(key);

        var (_, list) = await Host.GetAsync(key, $"/v1/customers/{account}/invoices", Cancel);
        var months = list.GetProperty("invoices").EnumerateArray().ToList();
        Assert.NotEmpty(months);
        var month = months[^1].GetProperty("billingMonth").GetString();
        var (status, invoice) = await Host.GetAsync(key, $"/v1/customers/{account}/invoices/{month}", Cancel);
        Assert.Equal(200, status);
        var currency = invoice.GetProperty("currency").GetString()!;

        Assert.Equal($"Account {account}", await page.TextAsync("account-title"));
        Assert.Equal($"{invoice.GetProperty("status").GetString()} (revision {invoice.GetProperty("revision").GetInt64()})", await page.TextAsync("invoice-status"));
        Assert.Equal(Money(invoice.GetProperty("totalAmount"), currency), await page.TextAsync("invoice-total"));
        Assert.Equal(Money(invoice.GetProperty("totalDiscount"), currency), await page.TextAsync("invoice-discount"));
        Assert.Equal(Money(invoice.GetProperty("actualAmount"), currency), await page.TextAsync("invoice-actual"));
        var lines = invoice.GetProperty("lines").EnumerateArray().Select(LineCells).ToArray();
        Assert.NotEmpty(lines);
        Assert.Equal(lines, await page.TableAsync("invoice-lines"));
        if (invoice.GetProperty("corrections").GetArrayLength() == 0)
        {
            Assert.StartsWith("No corrections", await page.TextAsync("invoice-corrections"), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(invoice.GetProperty("corrections").GetArrayLength(), (await page.TableAsync("invoice-corrections")).Length);
        }

        // Every billed month, newest first, with the API's totals.
        var expectedMonths = months.AsEnumerable().Reverse().Select(m => new[]
        {
            m.GetProperty("billingMonth").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("revision").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Money(m.GetProperty("totalAmount"), currency), Money(m.GetProperty("totalDiscount"), currency), Money(m.GetProperty("actualAmount"), currency),
        }).ToArray();
        Assert.Equal(expectedMonths, await page.TableAsync("invoices-table"));
        Assert.False(await page.IsVisibleAsync("#account-picker-label"), "A customer must not get the account picker.");

        // The chart of the month's cost per service draws the invoice's amounts (Chart.js's own data, summed per bar).
        var expectedPerService = invoice.GetProperty("lines").EnumerateArray().Concat(invoice.GetProperty("corrections").EnumerateArray())
            .GroupBy(l => l.GetProperty("service").GetString()!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Sum(l => l.GetProperty("amount").GetDecimal()):0.0000}")
            .ToArray();
        var charted = await page.EvaluateAsync<string[]>(
            "() => { const c = Chart.getChart('services-chart'); return c.data.labels.map((l, i) => `${l} ${c.data.datasets.reduce((s, d) => s + d.data[i], 0).toFixed(4)}`); }");
        Assert.Equal(expectedPerService, charted);
        Assert.True(await page.IsVisibleAsync("#services-chart"));

        await page.ScreenshotAsync("portal-customer");
    }

    [Fact]
    public async Task Customer_SignedIn_SeesCdnDailyUsageAndWeeklyCostAsTheApiAnswersThem()
    {
        var (account, key) = Host.Customer;
        var page = await portal.OpenPortalAsync();
        await page.SignInAsync(key);
        var month = await page.Locator("#month-picker").InputValueAsync();

        await AssertCdnAsync(page, key, account);
        await AssertDailyAsync(page, key, month, scope: "");
        await AssertWeeklyAsync(page, key, month, scope: "");
    }

    [Fact]
    public async Task Customer_AnotherAccountInTheUrl_SeesNotFoundAndNothingOfThatAccount()
    {
        var (account, key) = Host.Customer;
        var other = await DisabledCdnAccountAsync();
        Assert.NotEqual(account, other);
        var (_, otherCdn) = await Host.GetAsync(Host.OperatorKey, $"/v1/customers/{other}/cdn", Cancel);
        var page = await portal.OpenPortalAsync($"?account={other}");
        await page.SignInAsync(key);

        Assert.Equal("error", await page.GetAttributeAsync("body", "data-state"));
        Assert.Equal("Not found: No such resource.", await page.TextAsync("account-error"));
        var shown = await page.InnerTextAsync("body");
        Assert.DoesNotContain(other, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(otherCdn.GetProperty("distributionId").GetString()!, shown, StringComparison.Ordinal);
        Assert.False(await page.IsVisibleAsync("#account-picker-label"), "A customer must not get the account picker.");
        Assert.False(await page.IsVisibleAsync("#account-view"));

        await page.ScreenshotAsync("portal-customer-other-account");
    }

    [Fact]
    public async Task Operator_PicksAnAccount_SeesItsCdnCapDecisionAndWeeklyCost()
    {
        var page = await portal.OpenPortalAsync();
        await page.SignInAsync(Host.OperatorKey);
        Assert.Equal("ready", await page.GetAttributeAsync("body", "data-state"));
        Assert.Equal("Signed in as operator", (await page.TextContentAsync("#who"))?.Trim());

        var (_, customers) = await Host.GetAsync(Host.OperatorKey, "/v1/customers", Cancel);
        var accounts = customers.GetProperty("customers").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(accounts, await page.Locator("#account-picker option").AllTextContentsAsync());

        var disabled = await DisabledCdnAccountAsync();
        await page.SelectOptionAsync("#account-picker", disabled);
        await page.WaitForSelectorAsync($"[data-testid=account-title]:text-is('Account {disabled}')");
        await page.WaitForStateAsync("ready");
        var month = await page.Locator("#month-picker").InputValueAsync();

        await AssertCdnAsync(page, Host.OperatorKey, disabled);
        Assert.Equal("Disabled", await page.TextAsync("cdn-status"));
        Assert.Contains("cap", await page.TextAsync("cdn-reason"), StringComparison.Ordinal);
        await AssertDailyAsync(page, Host.OperatorKey, month, scope: "&customerId=" + disabled);
        await AssertWeeklyAsync(page, Host.OperatorKey, month, scope: "&customerId=" + disabled);
        Assert.True(await page.IsShownAsync("weekly-table"), "The operator's weekly cost has rows.");

        await page.ScreenshotAsync("portal-operator");
    }

    [Fact]
    public async Task Operator_ReEnablesADisabledCdn_AndTheApiAgrees()
    {
        // The last disabled account: the other tests look at the first, which must stay disabled.
        var disabled = await DisabledCdnAccountsAsync();
        Assert.True(disabled.Count >= 2, "The demo should disable at least two CDN distributions.");
        var account = disabled[^1];
        var page = await portal.OpenPortalAsync($"?account={account}");
        await page.SignInAsync(Host.OperatorKey);
        Assert.Equal("Disabled", await page.TextAsync("cdn-status"));

        await page.FillAsync("#cdn form.enable input[name=reason]", "ticket 42");
        await page.ClickAsync("#cdn form.enable button");
        await page.WaitForSelectorAsync("[data-testid=cdn-status]:text-is('Enabled')");
        await page.WaitForStateAsync("ready");

        var (_, cdn) = await Host.GetAsync(Host.OperatorKey, $"/v1/customers/{account}/cdn", Cancel);
        Assert.Equal(("Enabled", "operator enable: ticket 42"), (cdn.GetProperty("status").GetString(), cdn.GetProperty("reason").GetString()));
        Assert.Equal("operator enable: ticket 42", await page.TextAsync("cdn-reason"));
        Assert.Equal(0, await page.Locator("#cdn form.enable").CountAsync());
    }

    [Fact]
    public async Task Customer_GetsNoReEnableButton_ForItsOwnAccount()
    {
        var page = await portal.OpenPortalAsync();
        await page.SignInAsync(Host.Customer.Key);

        Assert.Equal(0, await page.Locator("#cdn form.enable").CountAsync());
    }

    [Fact]
    public async Task SignOut_ForgetsTheKey()
    {
        var page = await portal.OpenPortalAsync();
        await page.SignInAsync(Host.Customer.Key);
        await page.ClickAsync("#sign-out");
        await page.WaitForStateAsync("sign-in");

        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('streambilling.apiKey')"));
        await page.ReloadAsync();
        await page.WaitForStateAsync("sign-in");
        Assert.True(await page.IsVisibleAsync("#sign-in-form"));
        Assert.False(await page.IsVisibleAsync("#account-view"));
    }

    [Fact]
    public async Task UnknownKey_IsRefusedInWords()
    {
        var page = await portal.OpenPortalAsync();
        await page.SignInAsync("sbk_000000000000_not-a-key");

        Assert.Equal("sign-in", await page.GetAttributeAsync("body", "data-state"));
        Assert.Equal(
            "Sign-in refused: the usage API does not accept this key (unknown, revoked or mistyped).",
            (await page.TextContentAsync("#sign-in-error"))?.Trim());
        await page.ScreenshotAsync("portal-sign-in-refused");
    }

    private static string[] LineCells(JsonElement line) =>
    [
        line.GetProperty("service").GetString()!, line.GetProperty("region").GetString()!, line.GetProperty("resourceType").GetString()!,
        line.GetProperty("description").GetString()!, $"{Number(line.GetProperty("quantity"))} {line.GetProperty("unit").GetString()}",
        Number(line.GetProperty("rate")), Number(line.GetProperty("amount")), Number(line.GetProperty("discount")), Number(line.GetProperty("actualAmount")),
    ];

    /// <summary>The first account (by id) whose CDN distribution a cap decision disabled, asked as the operator.</summary>
    private async Task<string> DisabledCdnAccountAsync() =>
        (await DisabledCdnAccountsAsync()).FirstOrDefault() ?? throw new InvalidOperationException("The demo disabled no CDN distribution.");

    /// <summary>Every account (by id) whose CDN distribution is disabled, asked as the operator.</summary>
    private async Task<List<string>> DisabledCdnAccountsAsync()
    {
        var (_, customers) = await Host.GetAsync(Host.OperatorKey, "/v1/customers", Cancel);
        var disabled = new List<string>();
        foreach (var id in customers.GetProperty("customers").EnumerateArray().Select(c => c.GetString()!))
        {
            var (status, cdn) = await Host.GetAsync(Host.OperatorKey, $"/v1/customers/{id}/cdn", Cancel);
            if (status == 200 && cdn.GetProperty("status").GetString() == "Disabled")
            {
                disabled.Add(id);
            }
        }

        return disabled;
    }

    private async Task AssertCdnAsync(IPage page, string key, string account)
    {
        var (status, cdn) = await Host.GetAsync(key, $"/v1/customers/{account}/cdn", Cancel);
        if (status == 404)
        {
            Assert.StartsWith("Enabled: no cap has ever disabled", await page.TextAsync("cdn"), StringComparison.Ordinal);
            return;
        }

        Assert.Equal(200, status);
        Assert.Equal(cdn.GetProperty("status").GetString(), await page.TextAsync("cdn-status"));
        Assert.Equal(cdn.GetProperty("reason").GetString(), await page.TextAsync("cdn-reason"));
        Assert.Equal(cdn.GetProperty("causeId").GetString(), await page.TextAsync("cdn-cause"));
        Assert.Equal(cdn.GetProperty("distributionId").GetString(), await page.TextAsync("cdn-distribution"));
    }

    /// <summary>The daily CDN chart's figures, or the words shown when the API has no daily usage (404).</summary>
    private async Task AssertDailyAsync(IPage page, string key, string month, string scope)
    {
        var days = DateTime.DaysInMonth(int.Parse(month[..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(month[5..], System.Globalization.CultureInfo.InvariantCulture));
        var (status, usage) = await Host.GetAsync(key, $"/v1/usage?service=Cdn&from={month}-01&to={month}-{days:00}{scope}", Cancel);
        if (status == 404)
        {
            Assert.StartsWith($"No daily usage data for Cdn in {month}", await page.TextAsync("daily-message"), StringComparison.Ordinal);
            Assert.False(await page.IsVisibleAsync("#daily-chart-box"));
            return;
        }

        Assert.Equal(200, status);
        var currency = usage.GetProperty("currency").GetString()!;
        var expected = usage.GetProperty("days").EnumerateArray()
            .Select(d => new[] { d.GetProperty("date").GetString()!, $"{Number(d.GetProperty("quantity"))} {d.GetProperty("unit").GetString()}", Money(d.GetProperty("cost"), currency) })
            .ToArray();
        var shown = (await page.TableAsync("daily-table")).Select(row => row[..3]).ToArray();
        Assert.Equal(expected, shown);
        Assert.True(await page.IsVisibleAsync("#daily-chart"));
    }

    /// <summary>The weekly EC2 cost table and chart, or the API's refusal in words.</summary>
    private async Task AssertWeeklyAsync(IPage page, string key, string month, string scope)
    {
        var start = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (status, report) = await Host.GetAsync(key, $"/v1/usage/weekly-cost?service=Ec2&from={start:yyyy-MM-dd}&to={start.AddMonths(1):yyyy-MM-dd}{scope}", Cancel);
        if (status != 200)
        {
            Assert.Equal(
                $"Weekly cost is not available here. {report.GetProperty("title").GetString()}: {report.GetProperty("detail").GetString()}",
                await page.TextAsync("weekly-message"));
            Assert.False(await page.IsVisibleAsync("#weekly-chart-box"));
            return;
        }

        var expected = report.GetProperty("rows").EnumerateArray().Select(r => new[]
        {
            r.GetProperty("isoWeek").GetString()!, r.GetProperty("region").GetString()!, r.GetProperty("role").GetString()!,
            Number(r.GetProperty("usageQuantity")), Number(r.GetProperty("cost")), r.GetProperty("hours").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToArray();
        if (expected.Length == 0)
        {
            Assert.StartsWith("No Ec2 cost", await page.TextAsync("weekly-message"), StringComparison.Ordinal);
            return;
        }

        Assert.Equal(expected, await page.TableAsync("weekly-table"));
        Assert.True(await page.IsVisibleAsync("#weekly-chart"));
    }
}
