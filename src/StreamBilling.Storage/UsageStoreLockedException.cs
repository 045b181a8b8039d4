namespace StreamBilling.Storage;

/// <summary>The store's file is held by another process (embedded DuckDB allows one writer process per file).</summary>
public sealed class UsageStoreLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public UsageStoreLockedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UsageStoreLockedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UsageStoreLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
