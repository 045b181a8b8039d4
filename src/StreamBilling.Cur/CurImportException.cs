namespace StreamBilling.Cur;

/// <summary>A CUR export cannot be listed, read or imported; the message names the file or setting at fault.</summary>
public sealed class CurImportException : Exception
{
    public CurImportException()
    {
    }

    public CurImportException(string message)
        : base(message)
    {
    }

    public CurImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
