using DuckDB.NET.Data;
using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>
/// Compares a month's CUR cost with the pipeline's priced figures, per customer and service, for the services both
/// sides know: EC2 (CUR <c>AmazonEC2</c>; pipeline Ec2, ReservedInstance, ElasticIp) and CDN (CUR
/// <c>AmazonCloudFront</c>; pipeline Cdn, CloudFront). CUR's side is the unblended cost of the usage line items
/// (Usage, DiscountedUsage, RIFee): credits, discounts and fees are account-level adjustments the priced lines do not
/// carry. The pipeline's side is <c>daily_usage</c>'s Priced figures (the priced lines, split per UTC day) in the
/// month. CUR accounts become customers through <c>cur_account_map</c>; an account without a row there is its own line.
/// </summary>
public static class CurReconciliation
{
    /// <summary>Every customer or unmapped account with a cost on either side in <paramref name="month"/>, by customer, account and service.</summary>
    /// <exception cref="CurImportException">No CUR data for the month in the store, or its files lack the columns the comparison reads.</exception>
    public static async Task<IReadOnlyList<CurReconciliationLine>> CompareAsync(CurStore store, BillingMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var imported = (await store.ImportsAsync(cancellationToken).ConfigureAwait(false)).Where(i => i.BillingPeriod == month).ToList();
        if (imported.Count == 0)
        {
            throw new CurImportException($"The store {store.Path} has no CUR data for {month}: run 'cur import' for that month first.");
        }

        await using var command = store.Connection.CreateCommand();
        command.CommandText = """
            WITH cur AS (
                SELECT "lineItem/UsageAccountId" AS account,
                       CASE "lineItem/ProductCode" WHEN 'AmazonEC2' THEN 'EC2' ELSE 'CDN' END AS service,
                       sum(CAST("lineItem/UnblendedCost" AS DECIMAL(38, 10))) AS cost
                FROM cur_line_items
                WHERE billing_period = $month
                  AND "lineItem/ProductCode" IN ('AmazonEC2', 'AmazonCloudFront')
                  AND "lineItem/LineItemType" IN ('Usage', 'DiscountedUsage', 'RIFee')
                GROUP BY ALL
            ), cur_by_customer AS (
                SELECT m.customer_id, string_agg(cur.account, ' ' ORDER BY cur.account) AS accounts, cur.service, sum(cur.cost) AS cost
                FROM cur LEFT JOIN cur_account_map m ON m.cur_account_id = cur.account
                GROUP BY m.customer_id, CASE WHEN m.customer_id IS NULL THEN cur.account END, cur.service
            ), pipeline AS (
                SELECT customer_id,
                       CASE WHEN service IN ('Ec2', 'ReservedInstance', 'ElasticIp') THEN 'EC2' ELSE 'CDN' END AS service,
                       sum(cost) AS cost
                FROM daily_usage
                WHERE figure = 'Priced' AND service IN ('Ec2', 'ReservedInstance', 'ElasticIp', 'Cdn', 'CloudFront')
                  AND usage_day >= CAST($first_day AS DATE) AND usage_day < CAST($next_day AS DATE)
                GROUP BY ALL
            )
            SELECT coalesce(c.customer_id, p.customer_id), coalesce(c.accounts, ''), coalesce(c.service, p.service),
                   CAST(coalesce(c.cost, 0) AS DECIMAL(38, 10)), CAST(coalesce(p.cost, 0) AS DECIMAL(38, 10))
            FROM cur_by_customer c
            FULL OUTER JOIN pipeline p ON c.customer_id = p.customer_id AND c.service = p.service
            ORDER BY 1 NULLS LAST, 2, 3
            """;
        command.Parameters.Add(new DuckDBParameter("month", month.ToString()));
        command.Parameters.Add(new DuckDBParameter("first_day", month.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        command.Parameters.Add(new DuckDBParameter("next_day", month.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        var lines = new List<CurReconciliationLine>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lines.Add(new CurReconciliationLine(
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetDecimal(3),
                    reader.GetDecimal(4)));
            }
        }
        catch (DuckDBException e)
        {
            throw new CurImportException($"The CUR data of {month} cannot be compared (it needs lineItem/UsageAccountId, lineItem/ProductCode, lineItem/LineItemType and lineItem/UnblendedCost): {e.Message}", e);
        }

        return lines;
    }
}
