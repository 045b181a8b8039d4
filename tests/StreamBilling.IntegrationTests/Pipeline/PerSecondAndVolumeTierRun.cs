using System.Text.Json.Nodes;

namespace StreamBilling.IntegrationTests.Pipeline;

/// <summary>
/// <see cref="PipelineRun"/> priced with a rate card that bills Linux on-demand EC2 per second (60-second minimum) and CDN
/// transfer by volume tiers low enough for the simulated customers to cross them within the run: <c>infra/rate-card.json</c>
/// with those options set on its 2024-08 version (moved to the start of August), written to a temporary file.
/// </summary>
public sealed class PerSecondAndVolumeTierRun(KafkaFixture kafka) : PipelineRun(kafka)
{
    /// <summary>Types left hourly: the free-tier types, whose free hours are whole hours.</summary>
    public static readonly string[] HourlyTypes = ["t2.micro", "t3.micro"];

    /// <summary>CDN volume tiers of the card: up to 200 GB, up to 1,000 GB, then open (a simulated customer moves some 150-650 GB a day).</summary>
    public static readonly (decimal? UpTo, decimal PerUnit)[] CdnTiers = [(200m, 0.085m), (1000m, 0.06m), (null, 0.04m)];

    private readonly Lazy<string> _path = new(Write);

    /// <inheritdoc />
    public override string RateCardPath => _path.Value;

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        if (_path.IsValueCreated)
        {
            File.Delete(_path.Value);
        }

        return base.DisposeAsync();
    }

    private static string Write()
    {
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "rate-card.json")))!;
        var version = card["versions"]!.AsArray().Single(v => (string?)v!["version"] == "2024-08")!;

        // Volume tiers re-price a month's earlier units at the version in force, so versions must start with a month
        // (the card refuses anything else); infra's 2024-08 starts at noon on August 1.
        version["effectiveFrom"] = "2024-08-01T00:00:00Z";
        foreach (var row in version["ec2"]!.AsArray())
        {
            if (row!["os"] is null && !HourlyTypes.Contains((string?)row["instanceType"]))
            {
                row["billing"] = "per-second";
            }
        }

        var cdn = version["metered"]!.AsArray().Single(m => (string?)m!["service"] == "Cdn" && (string?)m["usageType"] == "DataTransfer-Out-Gb")!;
        cdn["tierMode"] = "volume";
        cdn["tiers"] = new JsonArray([.. CdnTiers.Select(t => (JsonNode)new JsonObject { ["upTo"] = t.UpTo is { } upTo ? JsonValue.Create(upTo) : null, ["perUnit"] = t.PerUnit })]);
        var path = Path.Combine(Path.GetTempPath(), $"streambilling-rate-card-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, card.ToJsonString());
        return path;
    }
}
