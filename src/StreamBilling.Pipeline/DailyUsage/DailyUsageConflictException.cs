namespace StreamBilling.Pipeline.DailyUsage;

/// <summary>The stored usage cannot be shown as one series: costs in more than one currency, or an estimate with no rate for its day.</summary>
public sealed class DailyUsageConflictException : Exception
{
    /// <summary>An exception without a message.</summary>
    public DailyUsageConflictException()
    {
    }

    /// <summary>An exception with <paramref name="message"/>.</summary>
    public DailyUsageConflictException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public DailyUsageConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
