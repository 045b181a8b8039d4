using System.Data.Common;

namespace StreamBilling.Storage;

/// <summary>The CDN registry (<see cref="ICdnDistributionStore"/>) on table <c>cdn_distributions</c> (<c>infra/duckdb/005_cdn_registry.sql</c>).</summary>
internal sealed partial class DuckDbUsageStore
{
    private const string DistributionColumns = "customer_id, bucket, distribution_id, domain_name, added_at, updated_at";

    public async Task<int> UpsertDistributionsAsync(IReadOnlyCollection<CdnDistribution> distributions, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        CdnRegistryRows.Check(distributions);
        if (distributions.Count == 0)
        {
            return 0;
        }

        return await ExclusiveAsync(
            async () =>
            {
                await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
                foreach (var d in distributions)
                {
                    await ExecuteAsync(
                        """
                        INSERT INTO cdn_distributions (customer_id, bucket, distribution_id, domain_name, added_at, updated_at)
                        VALUES ($customer_id, $bucket, $distribution_id, $domain_name, $at, $at)
                        ON CONFLICT (distribution_id) DO UPDATE SET
                            customer_id = excluded.customer_id, bucket = excluded.bucket, domain_name = excluded.domain_name,
                            updated_at = excluded.updated_at
                        """,
                        transaction,
                        cancellationToken,
                        ("customer_id", d.CustomerId),
                        ("bucket", d.Bucket),
                        ("distribution_id", d.DistributionId),
                        ("domain_name", d.DomainName),
                        ("at", at.UtcDateTime));
                }

                await transaction.CommitAsync(cancellationToken);
                return distributions.Count;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<RegisteredCdnDistribution>> ListDistributionsAsync(string? customerId = null, CancellationToken cancellationToken = default) =>
        await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = $"SELECT {DistributionColumns} FROM cdn_distributions"
                    + (customerId is null ? string.Empty : " WHERE customer_id = $customer_id")
                    + " ORDER BY customer_id, distribution_id";
                if (customerId is not null)
                {
                    Add(command, "customer_id", customerId);
                }

                return await ReadDistributionsAsync(command, cancellationToken);
            },
            cancellationToken);

    public async Task<RegisteredCdnDistribution?> FindDistributionAsync(string distributionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(distributionId);
        return await ExclusiveAsync(
            async () =>
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = $"SELECT {DistributionColumns} FROM cdn_distributions WHERE distribution_id = $distribution_id";
                Add(command, "distribution_id", distributionId);
                return (await ReadDistributionsAsync(command, cancellationToken)).SingleOrDefault();
            },
            cancellationToken);
    }

    private static async Task<List<RegisteredCdnDistribution>> ReadDistributionsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<RegisteredCdnDistribution>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RegisteredCdnDistribution(
                new CdnDistribution(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)),
                Utc(reader.GetDateTime(4)),
                Utc(reader.GetDateTime(5))));
        }

        return rows;
    }
}
