using Npgsql;

namespace StreamBilling.Storage;

/// <summary>The CDN registry (<see cref="ICdnDistributionStore"/>) on table <c>cdn_distributions</c> (<c>infra/postgres/004_cdn_registry.sql</c>).</summary>
internal sealed partial class PostgresUsageStore
{
    private const string DistributionColumns = "customer_id, bucket, distribution_id, domain_name, added_at, updated_at";

    public async Task<int> UpsertDistributionsAsync(IReadOnlyCollection<CdnDistribution> distributions, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        CdnRegistryRows.Check(distributions);
        if (distributions.Count == 0)
        {
            return 0;
        }

        // One statement: the whole load is applied or none of it.
        var rows = distributions.ToList();
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO cdn_distributions (customer_id, bucket, distribution_id, domain_name, added_at, updated_at)
            SELECT customer_id, bucket, distribution_id, domain_name, @at, @at
            FROM unnest(@customer_id, @bucket, @distribution_id, @domain_name) AS t (customer_id, bucket, distribution_id, domain_name)
            ON CONFLICT (distribution_id) DO UPDATE SET
                customer_id = excluded.customer_id, bucket = excluded.bucket, domain_name = excluded.domain_name,
                updated_at = excluded.updated_at
            """);
        PostgresParameters.AddColumn(command, "customer_id", rows, d => d.CustomerId);
        PostgresParameters.AddColumn(command, "bucket", rows, d => d.Bucket);
        PostgresParameters.AddColumn(command, "distribution_id", rows, d => d.DistributionId);
        PostgresParameters.AddColumn(command, "domain_name", rows, d => d.DomainName);
        PostgresParameters.Add(command, "at", at.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RegisteredCdnDistribution>> ListDistributionsAsync(string? customerId = null, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {DistributionColumns} FROM cdn_distributions" + (customerId is null ? string.Empty : " WHERE customer_id = @customer_id"));
        if (customerId is not null)
        {
            PostgresParameters.Add(command, "customer_id", customerId);
        }

        var rows = await ReadDistributionsAsync(command, cancellationToken);

        // The database's collation may not be ordinal.
        rows.Sort((a, b) => a.Distribution.CustomerId != b.Distribution.CustomerId
            ? string.CompareOrdinal(a.Distribution.CustomerId, b.Distribution.CustomerId)
            : string.CompareOrdinal(a.Distribution.DistributionId, b.Distribution.DistributionId));
        return rows;
    }

    public async Task<RegisteredCdnDistribution?> FindDistributionAsync(string distributionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(distributionId);
        await using var command = _dataSource.CreateCommand($"SELECT {DistributionColumns} FROM cdn_distributions WHERE distribution_id = @distribution_id");
        PostgresParameters.Add(command, "distribution_id", distributionId);
        return (await ReadDistributionsAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<RegisteredCdnDistribution>> ReadDistributionsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<RegisteredCdnDistribution>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RegisteredCdnDistribution(
                new CdnDistribution(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return rows;
    }
}
