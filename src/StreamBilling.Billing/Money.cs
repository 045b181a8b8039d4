namespace StreamBilling.Billing;

/// <summary>Rounding of money amounts.</summary>
internal static class Money
{
    /// <summary>Bills print 4 decimals; rounding each line keeps totals equal to the sum of the printed lines.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);
}
