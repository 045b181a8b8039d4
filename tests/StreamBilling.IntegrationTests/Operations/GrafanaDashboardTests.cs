using System.Text.Json;
using StreamBilling.Contracts.Tests;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// Every metric a dashboard in <c>infra/grafana/dashboards</c> queries is exported by the real host (scraped from
/// <c>/metrics</c> after it billed usage): a renamed or removed metric fails here, not on an operator's empty panel.
/// </summary>
[Collection(OperatedHostTests.Name)]
public sealed class GrafanaDashboardTests(OperatedHost host)
{
    private static string Dashboards => Path.Combine(RepositoryPaths.Root, "infra", "grafana", "dashboards");

    [Fact]
    public async Task Dashboards_EveryQueriedMetric_IsExportedByTheHost()
    {
        var exported = (await host.ScrapeAsync(TestContext.Current.CancellationToken)).Names;
        var files = Directory.GetFiles(Dashboards, "*.json");
        Assert.NotEmpty(files);

        var queried = new List<(string File, string Panel, string Metric)>();
        foreach (var file in files)
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
            {
                var targets = panel.GetProperty("targets").EnumerateArray().ToList();
                Assert.NotEmpty(targets);
                foreach (var target in targets)
                {
                    var metrics = PromQl.MetricNames(target.GetProperty("expr").GetString()!);
                    Assert.NotEmpty(metrics);
                    queried.AddRange(metrics.Select(m => (Path.GetFileName(file), panel.GetProperty("title").GetString()!, m)));
                }
            }
        }

        var missing = queried.Where(q => !exported.Contains(q.Metric)).ToList();
        Assert.True(missing.Count == 0, "Not exported by the host: " + string.Join("; ", missing.Select(m => $"{m.File} \"{m.Panel}\": {m.Metric}")));
        Assert.True(queried.Select(q => q.Metric).Distinct().Count() >= 15);
    }

    [Fact]
    public void PromQl_MetricNames_SkipFunctionsLabelsRangesAndGroupings()
    {
        var names = PromQl.MetricNames("histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{http_route=~\"/v1.*\"}[$__rate_interval]))) / on(job) up");

        Assert.Equal(["http_server_request_duration_seconds_bucket", "up"], names.Order(StringComparer.Ordinal));
    }
}
