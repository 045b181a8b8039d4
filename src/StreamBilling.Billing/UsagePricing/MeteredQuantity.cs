namespace StreamBilling.Billing.UsagePricing;

/// <summary>Conversions from what the events measure to what the rate card prices.</summary>
public static class MeteredQuantity
{
    /// <summary>Decimal places kept in priced quantities (the Avro <c>quantity</c> scale).</summary>
    public const int Scale = 9;

    /// <summary>Bytes as GB (10^9 bytes), exact.</summary>
    public static decimal Gigabytes(long bytes) => bytes / 1_000_000_000m;

    /// <summary>A duration in minutes, rounded to <see cref="Scale"/> places (MediaConvert bills running minutes).</summary>
    public static decimal Minutes(TimeSpan duration) => Math.Round((decimal)duration.Ticks / TimeSpan.TicksPerMinute, Scale, MidpointRounding.AwayFromZero);
}
