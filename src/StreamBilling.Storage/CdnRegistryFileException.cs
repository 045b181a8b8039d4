namespace StreamBilling.Storage;

/// <summary>A CDN registry file (or request body) that cannot be loaded; the message names the file and the line.</summary>
public sealed class CdnRegistryFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CdnRegistryFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CdnRegistryFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CdnRegistryFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>1-based line of the bad row (or, for a request body, 1-based row number); 0 when the input as a whole is wrong.</summary>
    public long Line { get; init; }

    /// <summary>An error at <paramref name="line"/> of <paramref name="source"/>: <c>source:line: problem</c>.</summary>
    internal static CdnRegistryFileException At(string source, long line, string problem, Exception? cause = null) =>
        new(line > 0 ? $"{source}:{line}: {problem}" : $"{source}: {problem}", cause!) { Line = line };
}
