using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>Reads a <see cref="BillingMonth"/> as CUR paths and the command line write it: <c>yyyy-MM</c>.</summary>
public static class BillingMonthText
{
    /// <summary>Reads <c>yyyy-MM</c> (from the year 2000: AWS billing starts after it).</summary>
    public static bool TryParse(string? text, out BillingMonth month)
    {
        if (BillingMonth.TryParse(text?.Trim(), out month) && month.Year >= 2000)
        {
            return true;
        }

        month = default;
        return false;
    }

    /// <summary>Reads <c>yyyy-MM</c>.</summary>
    /// <exception cref="FormatException">Not a <c>yyyy-MM</c> month from 2000 on.</exception>
    public static BillingMonth Parse(string text) =>
        TryParse(text, out var month) ? month : throw new FormatException($"'{text}' is not a billing period (yyyy-MM, e.g. 2024-07).");
}
