using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace StreamBilling.Cur;

/// <summary><see cref="IS3ObjectStore"/> through the AWS SDK for .NET (<see cref="IAmazonS3"/>).</summary>
internal sealed class AmazonS3ObjectStore(IAmazonS3 client) : IS3ObjectStore
{
    public async Task<(IReadOnlyList<string> Keys, string? NextContinuationToken)> ListPageAsync(string bucket, string prefix, string? continuationToken, CancellationToken cancellationToken)
    {
        var response = await client.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = continuationToken },
            cancellationToken).ConfigureAwait(false);

        // SDK v4 leaves an empty collection null.
        var keys = (response.S3Objects ?? []).Select(o => o.Key).ToList();
        return (keys, response.IsTruncated == true ? response.NextContinuationToken : null);
    }

    public async Task<bool> ExistsAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<Stream> OpenAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var response = await client.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return response.ResponseStream;
    }

    public void Dispose() => client.Dispose();
}
