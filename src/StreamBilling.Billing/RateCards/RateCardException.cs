namespace StreamBilling.Billing.RateCards;

/// <summary>A rate card that cannot be used (bad file, overlapping entries), or usage the rate card has no price for.</summary>
public sealed class RateCardException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RateCardException()
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public RateCardException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and its cause.</summary>
    public RateCardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
