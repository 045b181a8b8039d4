using System.Globalization;

namespace StreamBilling.Billing;

/// <summary>Rounding and range of money amounts.</summary>
internal static class Money
{
    /// <summary>
    /// The largest amount a line or bill may carry: the largest decimal(18,6), the money type of priced lines and invoices
    /// on the topics. Anything larger could not be invoiced by the pipeline, so <c>bill</c> and <c>bill --through-kafka</c>
    /// reject the same inputs; it also keeps every sum far from decimal overflow.
    /// </summary>
    public const decimal MaxAmount = 999_999_999_999.999999m;

    /// <summary><see cref="MaxAmount"/> as printed in reasons.</summary>
    public static readonly string MaxAmountText = "$" + MaxAmount.ToString("#,0.000000", CultureInfo.InvariantCulture);

    /// <summary>Bills print 4 decimals; rounding each line keeps totals equal to the sum of the printed lines.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);
}
