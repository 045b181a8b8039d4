namespace StreamBilling.Cur;

/// <summary>
/// The store type of a CUR column, from its name, as the CUR data dictionary types them. Report files carry no reliable
/// types (CSV has none; a column that is empty all month sniffs as anything), and guessing from values would turn a
/// 12-digit account id into a number and lose its leading zeros. So: money and quantities (<c>…Cost</c>, <c>…Rate</c>,
/// <c>…Amount</c>, <c>…Factor</c>) are <see cref="Decimal"/>, dates and times (<c>…Date</c>, <c>…StartTime</c>,
/// <c>…EndTime</c>) are <see cref="Timestamp"/> in UTC, in the billing categories only; every other column keeps its
/// text (or the Parquet file's own type), so nothing is lost.
/// </summary>
internal static class CurColumnTypes
{
    /// <summary>Exact to 10 decimal places (CUR writes up to 10), room for 28 digits before the point.</summary>
    public const string Decimal = "DECIMAL(38, 10)";

    /// <summary>UTC instant without a zone, as every timestamp in the store.</summary>
    public const string Timestamp = "TIMESTAMP";

    // Categories whose columns follow the data dictionary; tags, cost categories and product attributes are free text.
    private static readonly string[] TypedCategories = ["identity", "bill", "lineitem", "pricing", "reservation", "savingsplan", "discount", "splitlineitem"];

    /// <summary><see cref="Decimal"/>, <see cref="Timestamp"/>, or null when the column keeps the type it was read with.</summary>
    public static string? TypeOf(string column)
    {
        var (category, name) = Split(column);
        if (category is null || !TypedCategories.Contains(category, StringComparer.Ordinal))
        {
            return null;
        }

        // savingsPlan/TotalCommitmentToDate is money despite its ending.
        if (name.EndsWith("commitmenttodate", StringComparison.Ordinal))
        {
            return Decimal;
        }

        if (name.EndsWith("date", StringComparison.Ordinal) || name.EndsWith("starttime", StringComparison.Ordinal) || name.EndsWith("endtime", StringComparison.Ordinal))
        {
            return Timestamp;
        }

        return name.EndsWith("cost", StringComparison.Ordinal) || name.EndsWith("rate", StringComparison.Ordinal)
            || name.EndsWith("amount", StringComparison.Ordinal) || name.EndsWith("factor", StringComparison.Ordinal)
            ? Decimal
            : null;
    }

    /// <summary>v1 <c>lineItem/UnblendedCost</c> and CUR 2.0 <c>line_item_unblended_cost</c> alike: (lineitem, unblendedcost).</summary>
    private static (string? Category, string Name) Split(string column)
    {
        var lower = column.ToLowerInvariant();
        var slash = lower.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            return (lower[..slash].Replace("_", string.Empty, StringComparison.Ordinal), lower[(slash + 1)..].Replace("_", string.Empty, StringComparison.Ordinal));
        }

        var flat = lower.Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (var category in TypedCategories)
        {
            if (flat.StartsWith(category, StringComparison.Ordinal) && lower.Contains('_', StringComparison.Ordinal))
            {
                return (category, flat[category.Length..]);
            }
        }

        return (null, flat);
    }
}
