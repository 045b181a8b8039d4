namespace StreamBilling.Cur;

/// <summary>One customer's (or one unmapped CUR account's) cost of one service in a month, as AWS billed it and as the pipeline priced it.</summary>
/// <param name="CustomerId">Our customer; null for a CUR account without a row in <c>cur_account_map</c>.</param>
/// <param name="CurAccounts">The CUR usage accounts behind the CUR figure, space-separated (empty when CUR has nothing for it).</param>
/// <param name="Service"><c>EC2</c> or <c>CDN</c>.</param>
/// <param name="CurCost">CUR unblended cost of the month's usage line items (Usage, DiscountedUsage, RIFee).</param>
/// <param name="PipelineCost">The pipeline's priced figures for the month (<c>daily_usage</c>, figure Priced).</param>
public sealed record CurReconciliationLine(string? CustomerId, string CurAccounts, string Service, decimal CurCost, decimal PipelineCost)
{
    /// <summary>CUR minus pipeline: positive when AWS billed more than the pipeline priced.</summary>
    public decimal Difference => CurCost - PipelineCost;
}
