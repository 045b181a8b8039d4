namespace StreamBilling.Cur;

/// <summary>Opens the <see cref="ICurSource"/> a location names.</summary>
public static class CurSources
{
    /// <summary>A folder laid out like the bucket: report keys in manifests are paths below it.</summary>
    public static ICurSource Local(string folder) => new LocalCurSource(folder);

    /// <summary><c>s3://bucket[/prefix]</c> (see <c>S3</c>) or a local folder.</summary>
    public static ICurSource Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return Local(location);
    }
}
