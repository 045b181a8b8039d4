using System.Text.Json.Nodes;
using StreamBilling.Events.Common;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>One way a kill run's outputs differ from the clean run's.</summary>
/// <param name="Category">What differs, e.g. <c>invoice</c>, <c>invoice (Elastic IP)</c>, <c>priced line</c>.</param>
/// <param name="Key">Which entry (invoice id, line id, topic, ...).</param>
/// <param name="Detail">Kill run vs clean run.</param>
/// <param name="VariesBetweenCleanRuns">
/// True for what two clean runs of the same input already differ in, without money: EC2 interim slices (zero quantity and
/// amount, emitted as each partition's stream time moves), the rollup line counts that count them, and an invoice's
/// <c>issuedAt</c> (the stream time its task had reached when it emitted the latest version).
/// </param>
internal sealed record ChaosDifference(string Category, string Key, string Detail, bool VariesBetweenCleanRuns = false);

/// <summary>
/// Compares two <see cref="ChaosSnapshot"/>s. An invoice is compared without its version fields (<c>eventId</c> and
/// <c>revision</c> count versions, and how many versions a run emits depends on where commits fall); its stream-time
/// <c>issuedAt</c> is compared in a category of its own, not counted. Differences confined to Elastic IP lines are categorized apart.
/// </summary>
internal static class ChaosComparison
{
    private static readonly string[] VersionFields = ["eventId", "revision", "issuedAt"];

    /// <summary>Every difference of <paramref name="kill"/> from <paramref name="clean"/>, by category then key.</summary>
    public static IReadOnlyList<ChaosDifference> Compare(ChaosSnapshot kill, ChaosSnapshot clean)
    {
        var differences = new List<ChaosDifference>();
        CompareInvoices(kill.Invoices, clean.Invoices, differences);
        CompareRollups(kill.Rollups, clean.Rollups, differences);
        CompareMaps("cdn status", kill.CdnStatuses, clean.CdnStatuses, differences);
        CompareMaps("cap decision", kill.CapDecisions, clean.CapDecisions, differences);
        CompareMaps("cdn usage message", kill.CdnUsageMessages, clean.CdnUsageMessages, differences);
        foreach (var (run, conflicts) in new[] { ("kill", kill.ConflictingCdnUsageMessages), ("clean", clean.ConflictingCdnUsageMessages) })
        {
            differences.AddRange(conflicts.Select(c => new ChaosDifference("cdn usage message sent twice with other content", run, c)));
        }
        ComparePricedLines(kill.PricedLines, clean.PricedLines, differences);
        foreach (var topic in kill.DeadLetters.Keys.Union(clean.DeadLetters.Keys).Order(StringComparer.Ordinal))
        {
            var killIds = kill.DeadLetters.GetValueOrDefault(topic) ?? [];
            var cleanIds = clean.DeadLetters.GetValueOrDefault(topic) ?? [];
            var onlyKill = killIds.Except(cleanIds).Count();
            var onlyClean = cleanIds.Except(killIds).Count();
            if (onlyKill + onlyClean > 0)
            {
                differences.Add(new("dead letter / late record", topic, $"{onlyKill} only in the kill run, {onlyClean} only in the clean run (of {killIds.Count} vs {cleanIds.Count})"));
            }
        }

        return [.. differences.OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal)];
    }

    private static void CompareInvoices(Dictionary<string, JsonObject> kill, Dictionary<string, JsonObject> clean, List<ChaosDifference> differences)
    {
        foreach (var id in kill.Keys.Union(clean.Keys).Order(StringComparer.Ordinal))
        {
            if (!kill.TryGetValue(id, out var killed) || !clean.TryGetValue(id, out var cleaned))
            {
                differences.Add(new("invoice", id, kill.ContainsKey(id) ? "only in the kill run" : "only in the clean run"));
                continue;
            }

            if (Text(killed["issuedAt"]) != Text(cleaned["issuedAt"]))
            {
                differences.Add(new("invoice issuedAt", id, $"{Text(killed["issuedAt"])} vs {Text(cleaned["issuedAt"])}", VariesBetweenCleanRuns: true));
            }

            var killContent = Content(killed);
            var cleanContent = Content(cleaned);
            if (JsonNode.DeepEquals(killContent, cleanContent))
            {
                continue;
            }

            var fields = killContent.Select(p => p.Key).Union(cleanContent.Select(p => p.Key))
                .Where(f => !JsonNode.DeepEquals(killContent[f], cleanContent[f]))
                .ToList();
            var lines = DifferingLines(killContent, cleanContent);
            var onlyElasticIp = lines.Count > 0 && lines.All(l => l.Service.Contains("ElasticIp", StringComparison.OrdinalIgnoreCase))
                && fields.All(f => f is "lines" or "corrections" or "totalAmount" or "totalDiscount" or "actualAmount");
            differences.Add(new(
                onlyElasticIp ? "invoice (Elastic IP)" : "invoice",
                id,
                $"actualAmount {Text(killed["actualAmount"])} vs {Text(cleaned["actualAmount"])}; fields {string.Join(", ", fields)}"
                + (lines.Count > 0 ? "; lines " + string.Join(", ", lines.Select(l => $"{l.Id} ({l.Service})")) : string.Empty)));
        }
    }

    /// <summary>The invoice without its version fields.</summary>
    private static JsonObject Content(JsonObject invoice)
    {
        var content = invoice.DeepClone().AsObject();
        foreach (var field in VersionFields)
        {
            content.Remove(field);
        }

        return content;
    }

    /// <summary>Usage and correction lines that differ or exist in one version only, by line id.</summary>
    private static List<(string Id, string Service)> DifferingLines(JsonObject kill, JsonObject clean)
    {
        var result = new List<(string, string)>();
        foreach (var list in new[] { "lines", "corrections" })
        {
            var killLines = LinesById(kill[list]);
            var cleanLines = LinesById(clean[list]);
            foreach (var id in killLines.Keys.Union(cleanLines.Keys).Order(StringComparer.Ordinal))
            {
                var a = killLines.GetValueOrDefault(id);
                var b = cleanLines.GetValueOrDefault(id);
                if (!JsonNode.DeepEquals(a, b))
                {
                    result.Add((id, Text((a ?? b)!["service"])));
                }
            }
        }

        return result;
    }

    private static Dictionary<string, JsonNode> LinesById(JsonNode? lines) =>
        (lines as JsonArray ?? []).OfType<JsonObject>()
            .Select((line, index) => (Id: Text(line["lineId"]) is { Length: > 0 } id ? id : "#" + index, Line: (JsonNode)line))
            .GroupBy(l => l.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Line, StringComparer.Ordinal);

    private static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static void ComparePricedLines(
        Dictionary<string, (ServiceKind Service, bool IsZero, string Value)> kill,
        Dictionary<string, (ServiceKind Service, bool IsZero, string Value)> clean,
        List<ChaosDifference> differences)
    {
        foreach (var id in kill.Keys.Union(clean.Keys).Order(StringComparer.Ordinal))
        {
            var inKill = kill.TryGetValue(id, out var a);
            var inClean = clean.TryGetValue(id, out var b);
            if (inKill && inClean && a.Value == b.Value)
            {
                continue;
            }

            var line = inKill ? a : b;
            var interim = inKill != inClean && line.IsZero;
            var category = interim ? "priced line (zero interim slice)" : line.Service == ServiceKind.ElasticIp ? "priced line (Elastic IP)" : "priced line";
            differences.Add(new(category, id, Detail(inKill, inClean, a.Value, b.Value), interim));
        }
    }

    /// <summary>Rollup rows are "quantity unit cost currency lineCount"; a row of zeros or a line count alone is what interim slices change.</summary>
    private static void CompareRollups(Dictionary<string, string> kill, Dictionary<string, string> clean, List<ChaosDifference> differences)
    {
        foreach (var key in kill.Keys.Union(clean.Keys).Order(StringComparer.Ordinal))
        {
            var inKill = kill.TryGetValue(key, out var a);
            var inClean = clean.TryGetValue(key, out var b);
            if (inKill && inClean && a == b)
            {
                continue;
            }

            var interim = inKill && inClean ? WithoutLineCount(a!) == WithoutLineCount(b!) : IsZeroRow((inKill ? a : b)!);
            var category = interim ? "rollup (line count or zero row only)" : key.Contains(" ElasticIp", StringComparison.Ordinal) ? "rollup (Elastic IP)" : "rollup";
            differences.Add(new(category, key, Detail(inKill, inClean, a, b), interim));
        }

        static string WithoutLineCount(string row) => row[..row.LastIndexOf(' ')];

        static bool IsZeroRow(string row)
        {
            var fields = row.Split(' ');
            return decimal.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture) == 0 && decimal.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) == 0;
        }
    }

    private static string Detail(bool inKill, bool inClean, string? kill, string? clean) => (inKill, inClean) switch
    {
        (true, false) => "only in the kill run: " + kill,
        (false, true) => "only in the clean run: " + clean,
        _ => $"{kill} vs {clean}",
    };

    private static void CompareMaps(string category, Dictionary<string, string> kill, Dictionary<string, string> clean, List<ChaosDifference> differences)
    {
        foreach (var key in kill.Keys.Union(clean.Keys).Order(StringComparer.Ordinal))
        {
            var inKill = kill.TryGetValue(key, out var a);
            var inClean = clean.TryGetValue(key, out var b);
            if (inKill && inClean && a == b)
            {
                continue;
            }

            differences.Add(new(category, key, Detail(inKill, inClean, a, b)));
        }
    }
}
