using System.Globalization;

namespace StreamBilling.Billing.Csv;

/// <summary>How amounts and durations are printed on bills.</summary>
public static class BillFormat
{
    internal const string QuantityFormat = "0.#########";

    internal const string UnitRateFormat = "0.0000########";

    /// <summary><c>$</c> and 4 decimals, invariant culture: <c>$5.3713</c>.</summary>
    public static string Money(decimal amount) =>
        amount < 0
            ? "-$" + (-amount).ToString("0.0000", CultureInfo.InvariantCulture)
            : "$" + amount.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary><c>HH:mm:ss</c> where hours may pass 99 (<c>244:15:48</c>); sub-second remainders are dropped.</summary>
    public static string Duration(TimeSpan time)
    {
        var totalSeconds = time.Ticks / TimeSpan.TicksPerSecond;
        var hours = totalSeconds / 3600;
        var minutes = totalSeconds / 60 % 60;
        var seconds = totalSeconds % 60;
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{seconds:00}");
    }

    /// <summary>A quantity with up to 9 decimals, no trailing zeros: <c>10240</c>, <c>0.000125</c>, <c>-3</c>.</summary>
    public static string Quantity(decimal quantity) => quantity.ToString(QuantityFormat, CultureInfo.InvariantCulture);

    /// <summary>A price per unit: <c>$</c>, at least 4 and up to 12 decimals (per-request rates are tiny): <c>$0.0000004</c>.</summary>
    public static string UnitRate(decimal rate) =>
        rate < 0
            ? "-$" + (-rate).ToString(UnitRateFormat, CultureInfo.InvariantCulture)
            : "$" + rate.ToString(UnitRateFormat, CultureInfo.InvariantCulture);

    /// <summary>Whole hours as <c>HH:00:00</c>.</summary>
    public static string Hours(long hours) => Duration(TimeSpan.FromHours(hours));

    /// <summary>Bill file name: <c>CUST001_AUG-2021.csv</c>.</summary>
    public static string FileName(MonthlyBill bill)
    {
        ArgumentNullException.ThrowIfNull(bill);
        return bill.CustomerId + "_" + bill.Month.ToFileTag() + ".csv";
    }
}
