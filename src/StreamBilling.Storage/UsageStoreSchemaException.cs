namespace StreamBilling.Storage;

/// <summary>
/// A store file cannot be brought to the schema this code knows: its <c>schema_version</c> is newer than the newest
/// migration here (written by a newer StreamBilling), or a migration failed (the file is left at the last version that
/// applied completely).
/// </summary>
public sealed class UsageStoreSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageStoreSchemaException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UsageStoreSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public UsageStoreSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
