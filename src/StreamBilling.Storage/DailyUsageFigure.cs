namespace StreamBilling.Storage;

/// <summary>What a daily usage row is.</summary>
public enum DailyUsageFigure
{
    /// <summary>A priced line of <c>billing.priced-lines</c>; for CDN the authoritative (Cost Explorer) figure.</summary>
    Priced,

    /// <summary>A CloudWatch CDN sample: near-real-time GB without a price.</summary>
    Estimate,
}
