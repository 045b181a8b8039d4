namespace StreamBilling.Storage;

/// <summary>The part of one record that falls on one UTC day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Quantity">Quantity in the record's unit (decimal(24,9)).</param>
/// <param name="Cost">Cost in the record's currency (decimal(18,6)); null for an estimate, which is priced when read.</param>
public sealed record DailyUsagePiece(DateOnly Day, decimal Quantity, decimal? Cost);
