using System.Globalization;
using System.Text.RegularExpressions;
using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>
/// Finds the manifests of one export in a source, the first step of a manifest-first import: v1
/// <c>&lt;prefix&gt;/&lt;export&gt;/&lt;yyyyMMdd-yyyyMMdd&gt;/&lt;export&gt;-Manifest.json</c>, v2
/// <c>&lt;prefix&gt;/&lt;export&gt;/metadata/BILLING_PERIOD=&lt;yyyy-MM&gt;/&lt;export&gt;-Manifest.json</c>. Copies of a
/// manifest deeper in the tree (v1 keeps one beside each assembly's report files) do not match.
/// </summary>
public sealed class CurManifestLocator
{
    private readonly ICurSource _source;
    private readonly string _exportName;
    private readonly Regex _pattern;

    public CurManifestLocator(ICurSource source, string exportName, CurVersion version)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(exportName) || exportName.Contains('/', StringComparison.Ordinal))
        {
            throw new CurImportException($"'{exportName}' is not a CUR export name (non-blank, no '/').");
        }

        _source = source;
        _exportName = exportName;
        _pattern = PatternFor(exportName, version);
        Version = version;
    }

    /// <summary>The layout the locator matches.</summary>
    public CurVersion Version { get; }

    /// <summary>
    /// The manifests whose period lies in <paramref name="from"/> to <paramref name="to"/> (both inclusive, either open),
    /// ordered by period. When the source names no prefix and one period's manifest sits under two prefixes, which one
    /// is meant is unknown: that is an error, not a guess.
    /// </summary>
    public async Task<IReadOnlyList<CurManifestLocation>> ListAsync(BillingMonth? from, BillingMonth? to, CancellationToken cancellationToken)
    {
        var listPrefix = _source.Prefix.Length == 0 ? string.Empty : _source.Prefix.TrimEnd('/') + "/";
        var found = new List<CurManifestLocation>();
        await foreach (var key in _source.ListKeysAsync(listPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (Match(key) is { } location && (from is null || location.BillingPeriod >= from) && (to is null || location.BillingPeriod <= to))
            {
                found.Add(location);
            }
        }

        foreach (var period in found.GroupBy(l => l.BillingPeriod).Where(g => g.Count() > 1))
        {
            throw new CurImportException(
                $"Export '{_exportName}' has a {period.Key} manifest under more than one prefix in {_source.Description}: " +
                $"{string.Join(", ", period.Select(l => l.Key).Order(StringComparer.Ordinal))}. Name the prefix in the source (s3://bucket/prefix) or keep one.");
        }

        return [.. found.OrderBy(l => l.BillingPeriod)];
    }

    /// <summary>The location <paramref name="key"/> is, when it is a manifest of this export under the source's prefix.</summary>
    internal CurManifestLocation? Match(string key)
    {
        var match = _pattern.Match(key);
        if (!match.Success)
        {
            return null;
        }

        var prefix = match.Groups["prefix"].Value;
        if (_source.Prefix.Length > 0 && prefix != _source.Prefix.Trim('/'))
        {
            return null;
        }

        BillingMonth period;
        if (Version == CurVersion.V1)
        {
            // The folder is the billing period's date range, yyyyMMdd-yyyyMMdd; its start names the month.
            if (!DateTime.TryParseExact(match.Groups["start"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !DateTime.TryParseExact(match.Groups["end"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
                || start.Day != 1 || end != start.AddMonths(1) || start.Year < 2000)
            {
                return null;
            }

            period = new BillingMonth(start.Year, start.Month);
        }
        else if (!BillingMonthText.TryParse(match.Groups["period"].Value, out period))
        {
            return null;
        }

        return new CurManifestLocation(key, period, prefix);
    }

    /// <summary>The key of <paramref name="exportName"/>'s manifest for <paramref name="period"/> under <paramref name="prefix"/>.</summary>
    public static string ManifestKey(string prefix, string exportName, CurVersion version, BillingMonth period)
    {
        var folder = version == CurVersion.V1
            ? string.Create(CultureInfo.InvariantCulture, $"{period.Start:yyyyMMdd}-{period.End:yyyyMMdd}")
            : $"metadata/BILLING_PERIOD={period}";
        return $"{ExportFolder(prefix, exportName)}/{folder}/{exportName}-Manifest.json";
    }

    /// <summary><c>&lt;prefix&gt;/&lt;export&gt;</c>, or the export name alone when there is no prefix.</summary>
    public static string ExportFolder(string prefix, string exportName) =>
        prefix.Trim('/').Length == 0 ? exportName : $"{prefix.Trim('/')}/{exportName}";

    private static Regex PatternFor(string exportName, CurVersion version)
    {
        var export = Regex.Escape(exportName);
        var folder = version == CurVersion.V1
            ? @"(?<start>\d{8})-(?<end>\d{8})"
            : @"metadata/BILLING_PERIOD=(?<period>\d{4}-\d{2})";
        return new Regex($@"^(?:(?<prefix>.+)/)?{export}/{folder}/{export}-Manifest\.json$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
