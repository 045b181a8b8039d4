using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace StreamBilling.Portal.Tests;

/// <summary>
/// The daily usage chart against the documented answer of <c>GET /v1/usage?service=&amp;from=&amp;to=</c> (one point per
/// UTC day: quantity, unit, cost, the figure the cost rests on, and the reconciliation of estimate and authoritative
/// figures). Where the host does not serve that endpoint yet, this test answers the portal's request in the browser
/// with that documented JSON, so the chart's drawing is checked either way; the other browser tests use whatever the
/// host answers. Checks the request the portal sends, too.
/// </summary>
public sealed partial class DailyUsageContractTests(PortalFixture portal)
{
    private const string Answer = """
        { "customerId": "{account}", "service": "Cdn", "from": "2024-07-01", "to": "2024-07-31", "currency": "USD",
          "days": [
            { "date": "2024-07-27", "quantity": 12.5, "unit": "GB", "cost": 1.0625, "costBasis": "Authoritative",
              "estimate": { "quantity": 12.4, "cost": 1.054 }, "authoritative": { "quantity": 12.5, "cost": 1.0625 },
              "reconciled": true, "difference": { "quantity": 0.1, "cost": 0.0085 } },
            { "date": "2024-07-28", "quantity": 1520.25, "unit": "GB", "cost": 129.22125, "costBasis": "Authoritative",
              "estimate": { "quantity": 1520.25, "cost": 129.22125 }, "authoritative": { "quantity": 1520.25, "cost": 129.22125 },
              "reconciled": true, "difference": null },
            { "date": "2024-07-29", "quantity": 40, "unit": "GB", "cost": 3.4, "costBasis": "Estimate",
              "estimate": { "quantity": 40, "cost": 3.4 }, "authoritative": null, "reconciled": false, "difference": null }
          ] }
        """;

    [Fact]
    public async Task DailyUsage_InTheDocumentedShape_IsChartedWithEachDaysBasisAndReconciliation()
    {
        var (account, key) = portal.Host.Customer;
        var page = await portal.OpenPortalAsync("?daily=Cdn");
        var requested = new List<string>();
        await page.RouteAsync(UsageRequest(), async route =>
        {
            requested.Add(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = Answer.Replace("{account}", account, StringComparison.Ordinal) });
        });
        await page.SignInAsync(key);
        var month = await page.Locator("#month-picker").InputValueAsync();

        var url = new Uri(Assert.Single(requested));
        Assert.Equal($"?service=Cdn&from={month}-01&to={month}-31", url.Query);
        Assert.Equal(
            [
                ["2024-07-27", "12.50 GB", "USD 1.0625", "Authoritative", "yes, differs by 0.10 GB / USD 0.0085"],
                ["2024-07-28", "1,520.25 GB", "USD 129.22125", "Authoritative", "yes"],
                ["2024-07-29", "40.00 GB", "USD 3.40", "Estimate", "no"],
            ],
            await page.TableAsync("daily-table"));
        Assert.Equal(
            ["12.5 #2563eb", "1520.25 #2563eb", "40 #f59e0b"],
            await page.EvaluateAsync<string[]>(
                "() => { const d = Chart.getChart('daily-chart').data.datasets[0]; return d.data.map((q, i) => `${q} ${d.backgroundColor[i]}`); }"));
        Assert.False(await page.IsVisibleAsync("[data-testid=daily-message]"));

        await page.ScreenshotAsync("portal-daily-usage");
    }

    [GeneratedRegex(@"/v1/usage\?")]
    private static partial Regex UsageRequest();
}
