using Amazon;
using Amazon.S3;

namespace StreamBilling.Cur;

/// <summary>Opens the <see cref="ICurSource"/> a location names.</summary>
public static class CurSources
{
    /// <summary>A folder laid out like the bucket: report keys in manifests are paths below it.</summary>
    public static ICurSource Local(string folder) => new LocalCurSource(folder);

    /// <summary>
    /// The bucket and prefix of <paramref name="location"/> (<c>s3://bucket[/prefix]</c>) through the AWS SDK for .NET;
    /// <paramref name="options"/> choose the endpoint (MinIO, LocalStack) and region.
    /// </summary>
    /// <exception cref="CurImportException">Not an <c>s3://bucket[/prefix]</c> location.</exception>
    public static ICurSource S3(string location, CurS3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (bucket, prefix) = ParseS3(location);
        var config = new AmazonS3Config();
        if (options.Endpoint is not null)
        {
            // S3-compatible servers serve buckets under the path, not as host names.
            config.ServiceURL = options.Endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return new S3CurSource(new AmazonS3ObjectStore(new AmazonS3Client(config)), bucket, prefix);
    }

    /// <summary><c>s3://bucket[/prefix]</c> through S3 (<see cref="S3"/>), anything else a local folder (<see cref="Local"/>).</summary>
    public static ICurSource Open(string location, CurS3Options s3)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        return location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? S3(location, s3) : Local(location);
    }

    /// <summary>The bucket and key prefix of <c>s3://bucket[/prefix]</c>.</summary>
    internal static (string Bucket, string Prefix) ParseS3(string location)
    {
        if (!location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new CurImportException($"'{location}' is not an S3 location (s3://bucket[/prefix]).");
        }

        var rest = location["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        return bucket.Length == 0
            ? throw new CurImportException($"'{location}' names no bucket (s3://bucket[/prefix]).")
            : (bucket, prefix);
    }
}
