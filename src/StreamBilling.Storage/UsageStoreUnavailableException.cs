namespace StreamBilling.Storage;

/// <summary>
/// The store could not be opened: its server is unreachable or refused the login, the connection string is not valid,
/// or the database holds a schema newer than this build knows. The message says which, without credentials.
/// </summary>
public sealed class UsageStoreUnavailableException : IOException
{
    /// <summary>Creates the exception.</summary>
    public UsageStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UsageStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UsageStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
