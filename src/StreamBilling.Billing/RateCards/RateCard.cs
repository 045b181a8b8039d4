using System.Globalization;
using System.Text.Json;

namespace StreamBilling.Billing.RateCards;

/// <summary>
/// Versioned prices (file format: <c>infra/rate-card.json</c>, see <c>docs/billing-rules.md</c>). Usage is priced with
/// the version in force at the usage time, and spot hours with the spot price in force when each hour starts.
/// </summary>
public sealed class RateCard
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly RateCardVersion[] _versions;
    private readonly Dictionary<(string Region, string InstanceType, InstanceOs? Os), (DateTimeOffset From, decimal PerHour)[]> _spot;

    private RateCard(string currency, RateCardVersion[] versions, Dictionary<(string, string, InstanceOs?), (DateTimeOffset, decimal)[]> spot)
    {
        Currency = currency;
        _versions = versions;
        _spot = spot;
        HasPerSecondBilling = versions.Any(v => v.HasPerSecondBilling);
    }

    /// <summary>True when some version bills an instance type per second (the batch's CSV rates never do).</summary>
    internal bool HasPerSecondBilling { get; }

    /// <summary>ISO 4217 currency of every price.</summary>
    public string Currency { get; }

    /// <summary>Versions ordered by <see cref="RateCardVersion.EffectiveFrom"/>.</summary>
    public IReadOnlyList<RateCardVersion> Versions => _versions;

    /// <summary>Reads and checks a rate card file.</summary>
    /// <exception cref="RateCardException">The file is not a valid rate card; the message lists every problem.</exception>
    public static RateCard Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>Checks a rate card in JSON.</summary>
    /// <exception cref="RateCardException">The text is not a valid rate card; the message lists every problem.</exception>
    public static RateCard Parse(string json, string sourceName = "rate card")
    {
        ArgumentNullException.ThrowIfNull(json);
        RateCardFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RateCardFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RateCardException($"{sourceName}: {e.Message}", e);
        }

        var problems = new List<string>();
        var card = file is null ? null : Build(file, problems);
        if (card is null || problems.Count > 0)
        {
            throw new RateCardException($"{sourceName}: " + (problems.Count == 0 ? "empty" : string.Join("; ", problems)));
        }

        return card;
    }

    /// <summary>
    /// A one-version card (in force since forever) from the bill engine's CSV rates, so the batch <c>bill</c> and the
    /// stream price through the same <see cref="UsagePricing.UsagePricer"/>.
    /// </summary>
    /// <param name="rates">Instance rates; an empty region applies to every region, and every OS pays the same.</param>
    /// <param name="freeTier">Free-tier type per region; <see langword="null"/> means there is no free tier.</param>
    /// <param name="elasticIpRates">Idle Elastic IP hour rates.</param>
    /// <param name="currency">Currency of the rates.</param>
    /// <exception cref="RateCardException">A (type, region) or region is listed twice.</exception>
    public static RateCard FromInstanceRates(
        IEnumerable<RateCardEntry> rates, IEnumerable<FreeTierEligibility>? freeTier, IEnumerable<ElasticIpRate> elasticIpRates, string currency = "USD")
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(elasticIpRates);
        var problems = new List<string>();
        var instances = new Dictionary<(string, string, InstanceOs?), InstanceRate>();
        foreach (var rate in rates)
        {
            if (!instances.TryAdd((rate.Region, rate.InstanceType, null), new InstanceRate(rate.OnDemandRate, rate.ReservedRate)))
            {
                problems.Add($"{rate.InstanceType} in '{rate.Region}' is listed twice");
            }
        }

        Dictionary<string, string>? free = null;
        if (freeTier is not null)
        {
            free = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in freeTier)
            {
                if (!free.TryAdd(row.Region, row.InstanceType))
                {
                    problems.Add($"free tier of '{row.Region}' is listed twice");
                }
            }
        }

        var elasticIps = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in elasticIpRates)
        {
            if (!elasticIps.TryAdd(row.Region, row.RatePerHour))
            {
                problems.Add($"Elastic IP rate of '{row.Region}' is listed twice");
            }
        }

        if (problems.Count > 0)
        {
            throw new RateCardException(string.Join("; ", problems));
        }

        var version = new RateCardVersion("csv", DateTimeOffset.MinValue, instances, free, elasticIps, []);
        return new RateCard(currency, [version], []);
    }

    /// <summary>The version in force at <paramref name="instant"/>.</summary>
    /// <exception cref="RateCardException">No version is in force yet at that instant.</exception>
    public RateCardVersion VersionAt(DateTimeOffset instant)
    {
        // Versions are few; the last one not after the instant is in force.
        for (var i = _versions.Length - 1; i >= 0; i--)
        {
            if (_versions[i].EffectiveFrom <= instant)
            {
                return _versions[i];
            }
        }

        throw new RateCardException($"no rate card version is in force at {instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}");
    }

    /// <summary>The spot price per hour in force at <paramref name="instant"/>: the OS's own series, else the series for every OS.</summary>
    public bool TryGetSpotPrice(string region, string instanceType, InstanceOs os, DateTimeOffset instant, out decimal perHour)
    {
        perHour = 0;
        if (!_spot.TryGetValue((region, instanceType, os), out var series) && !_spot.TryGetValue((region, instanceType, null), out series))
        {
            return false;
        }

        // The last price that started at or before the instant.
        int lo = 0, hi = series.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (series[mid].From <= instant)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0)
        {
            return false;
        }

        perHour = series[found].PerHour;
        return true;
    }

    /// <summary>
    /// Instants in <c>(after, upTo]</c> at which an EC2 price may change: a version taking effect, or (spot) a new
    /// spot price of the type.
    /// </summary>
    internal IReadOnlyList<DateTimeOffset> PriceChangesBetween(string region, string instanceType, InstanceOs os, bool spot, DateTimeOffset after, DateTimeOffset upTo)
    {
        List<DateTimeOffset>? changes = null;
        foreach (var version in _versions)
        {
            if (version.EffectiveFrom > after && version.EffectiveFrom <= upTo)
            {
                (changes ??= []).Add(version.EffectiveFrom);
            }
        }

        if (spot && (_spot.TryGetValue((region, instanceType, os), out var series) || _spot.TryGetValue((region, instanceType, null), out series)))
        {
            foreach (var (from, _) in series)
            {
                if (from > after && from <= upTo)
                {
                    (changes ??= []).Add(from);
                }
            }
        }

        if (changes is null)
        {
            return [];
        }

        changes.Sort();
        return changes;
    }

    private static RateCard? Build(RateCardFile file, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(file.Currency))
        {
            problems.Add("missing currency");
        }

        if (file.Versions is not { Count: > 0 })
        {
            problems.Add("no versions");
            return null;
        }

        var versions = new List<RateCardVersion>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in file.Versions)
        {
            var label = v.Version ?? "(unnamed)";
            if (string.IsNullOrWhiteSpace(v.Version) || !names.Add(v.Version))
            {
                problems.Add($"version '{label}': missing or duplicate name");
            }

            if (v.EffectiveFrom is null)
            {
                problems.Add($"version '{label}': missing effectiveFrom");
                continue;
            }

            versions.Add(BuildVersion(v, label, problems));
        }

        versions.Sort((a, b) => a.EffectiveFrom.CompareTo(b.EffectiveFrom));
        for (var i = 1; i < versions.Count; i++)
        {
            if (versions[i].EffectiveFrom == versions[i - 1].EffectiveFrom)
            {
                problems.Add($"versions '{versions[i - 1].Version}' and '{versions[i].Version}' take effect at the same instant");
            }

            // A volume-tier correction re-prices the month's earlier units at the version in force for the new figure,
            // which is only what they were billed at when one version covers the whole month.
            var from = versions[i].EffectiveFrom.ToUniversalTime();
            if ((versions[i].HasVolumeTiers || versions[i - 1].HasVolumeTiers) && from != BillingMonth.Of(from).Start)
            {
                problems.Add($"version '{versions[i].Version}' takes effect within a month, next to a version with volume tiers: volume tiers need versions that start at a month start");
            }
        }

        var spot = BuildSpot(file.SpotPrices ?? [], problems);
        return new RateCard(file.Currency ?? string.Empty, [.. versions], spot);
    }

    private static RateCardVersion BuildVersion(RateCardFile.VersionFile v, string label, List<string> problems)
    {
        var instances = new Dictionary<(string, string, InstanceOs?), InstanceRate>();
        foreach (var e in v.Ec2 ?? [])
        {
            var region = e.Region ?? string.Empty;
            if (string.IsNullOrWhiteSpace(e.InstanceType) || e.OnDemandPerHour is not >= 0 || e.ReservedPerHour < 0)
            {
                problems.Add($"version '{label}': ec2 entry '{e.InstanceType}' in '{region}' needs an instance type and non-negative rates");
                continue;
            }

            var entry = $"version '{label}': ec2 {e.InstanceType} {e.Os?.ToString() ?? "any OS"} in '{region}'";
            if (InstanceBillingOf(e.Billing) is not { } billing)
            {
                problems.Add($"{entry}: billing '{e.Billing}' is neither 'per-hour' nor 'per-second'");
                continue;
            }

            if (!instances.TryAdd((region, e.InstanceType, e.Os), new InstanceRate(e.OnDemandPerHour.Value, e.ReservedPerHour, billing)))
            {
                problems.Add($"{entry} is listed twice");
            }
        }

        Dictionary<string, string>? freeTier = null;
        if (v.FreeTierEligible is not null)
        {
            freeTier = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in v.FreeTierEligible)
            {
                if (string.IsNullOrWhiteSpace(f.InstanceType) || !freeTier.TryAdd(f.Region ?? string.Empty, f.InstanceType))
                {
                    problems.Add($"version '{label}': free tier of '{f.Region}' is missing its type or listed twice");
                }
            }
        }

        // Free hours are handed out in whole hours on the invoice's EC2 lines; per-second usage is billed in fractions
        // of an hour on a line of its own, so a free-tier type billed per second would silently lose its free tier.
        foreach (var ((region, type, os), rate) in instances)
        {
            if (rate.Billing == InstanceBilling.PerSecond && freeTier is not null && freeTier.ContainsValue(type))
            {
                problems.Add($"version '{label}': ec2 {type} {os?.ToString() ?? "any OS"} in '{region}' is billed per second, but {type} is a free-tier type of this version (free hours are whole hours)");
            }
        }

        var elasticIps = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var e in v.ElasticIpIdlePerHour ?? [])
        {
            if (e.PerHour is not >= 0 || !elasticIps.TryAdd(e.Region ?? string.Empty, e.PerHour.Value))
            {
                problems.Add($"version '{label}': Elastic IP rate of '{e.Region}' is negative, missing or listed twice");
            }
        }

        var metered = new Dictionary<(BillableService, string, string), MeteredRate>();
        foreach (var m in v.Metered ?? [])
        {
            var name = $"version '{label}': {m.Service} {m.UsageType} in '{m.Region}'";
            var rate = MeteredRateOf(m, name, problems);
            if (rate is null || m.Service is null || string.IsNullOrWhiteSpace(m.UsageType))
            {
                problems.Add($"{name}: needs a service, a usage type, a unit and either perUnit or tiers");
                continue;
            }

            if (rate.IsTiered && !UsagePricing.UsageTypes.IsPricedMonthToDate(m.Service.Value, m.UsageType))
            {
                // Its pricer keeps no month-to-date quantity: every unit would be priced at the first tier.
                problems.Add($"{name}: {m.Service} {m.UsageType} is tiered, but its pricer keeps no month-to-date quantity; give it a flat perUnit rate");
                continue;
            }

            if (!metered.TryAdd((m.Service.Value, m.UsageType, m.Region ?? string.Empty), rate))
            {
                problems.Add($"{name}: listed twice");
            }
        }

        return new RateCardVersion(v.Version ?? string.Empty, v.EffectiveFrom!.Value, instances, freeTier, elasticIps, metered);
    }

    private static MeteredRate? MeteredRateOf(RateCardFile.MeteredFile m, string name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(m.Unit) || (m.PerUnit is null) == (m.Tiers is null))
        {
            return null;
        }

        if (m.PerUnit is { } flat)
        {
            if (flat < 0)
            {
                problems.Add($"{name}: negative rate");
            }

            if (m.TierMode is not null)
            {
                problems.Add($"{name}: tierMode '{m.TierMode}' needs tiers");
            }

            return new MeteredRate(m.Unit, [new RateTier(null, flat)]);
        }

        TierMode mode;
        switch (m.TierMode)
        {
            case null or "graduated":
                mode = TierMode.Graduated;
                break;
            case "volume":
                mode = TierMode.Volume;
                break;
            default:
                problems.Add($"{name}: tierMode '{m.TierMode}' is neither 'graduated' nor 'volume'");
                return null;
        }

        var tiers = new List<RateTier>();
        decimal previous = 0;
        for (var i = 0; i < m.Tiers!.Count; i++)
        {
            var t = m.Tiers[i];
            var last = i == m.Tiers.Count - 1;
            if (t.PerUnit is not >= 0 || (last ? t.UpTo is not null : t.UpTo is null || t.UpTo <= previous))
            {
                problems.Add($"{name}: tiers must rise, have non-negative rates and end with one open tier (upTo null)");
                return null;
            }

            previous = t.UpTo ?? previous;
            tiers.Add(new RateTier(t.UpTo, t.PerUnit.Value));
        }

        return new MeteredRate(m.Unit, tiers, mode);
    }

    private static InstanceBilling? InstanceBillingOf(string? billing) => billing switch
    {
        null or "per-hour" => InstanceBilling.PerStartedHour,
        "per-second" => InstanceBilling.PerSecond,
        _ => null,
    };

    private static Dictionary<(string, string, InstanceOs?), (DateTimeOffset, decimal)[]> BuildSpot(List<RateCardFile.SpotPriceFile> prices, List<string> problems)
    {
        var series = new Dictionary<(string, string, InstanceOs?), List<(DateTimeOffset From, decimal PerHour)>>();
        foreach (var p in prices)
        {
            if (string.IsNullOrWhiteSpace(p.InstanceType) || p.From is null || p.PerHour is not >= 0)
            {
                problems.Add($"spot price of '{p.InstanceType}' in '{p.Region}' needs a type, from and a non-negative perHour");
                continue;
            }

            var key = (p.Region ?? string.Empty, p.InstanceType, p.Os);
            if (!series.TryGetValue(key, out var list))
            {
                list = [];
                series.Add(key, list);
            }

            list.Add((p.From.Value, p.PerHour.Value));
        }

        var result = new Dictionary<(string, string, InstanceOs?), (DateTimeOffset, decimal)[]>();
        foreach (var (key, list) in series)
        {
            list.Sort((a, b) => a.From.CompareTo(b.From));
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].From == list[i - 1].From)
                {
                    problems.Add($"spot price of {key.Item2} {key.Item3?.ToString() ?? "any OS"} in '{key.Item1}' is given twice from {list[i].From:O}");
                }
            }

            result.Add(key, [.. list]);
        }

        return result;
    }
}
