using StreamBilling.Events.Outputs;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Rollups;

/// <summary>
/// Writes <see cref="HourlyRollup"/> records (as read from <c>rollups.hourly</c>) into the rollup store. Rollups are
/// upserted by their key, so a re-delivered batch or an older version followed by a newer one leaves one row per hour.
/// </summary>
/// <param name="store">The rollup store.</param>
public sealed class RollupSink(IRollupStore store)
{
    /// <summary>Default consumer group of the sink in the host.</summary>
    public const string DefaultGroupId = "streambilling-rollup-sink";

    private readonly IRollupStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>What the host's consumer loop reads and writes.</summary>
    internal Sinks.StoreSinkDefinition<HourlyRollup> Definition => new("Rollup", Contracts.Topics.HourlyRollups, WriteAsync, Validate);

    /// <summary>Why a rollup cannot be stored (its key disagrees with its fields), or null.</summary>
    internal static string? Validate(HourlyRollup rollup)
    {
        if (string.IsNullOrWhiteSpace(rollup.eventId))
        {
            return "rollup without eventId";
        }

        try
        {
            _ = ToRow(rollup);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Upserts <paramref name="rollups"/> (in topic order; within the batch the last version of each hour wins).</summary>
    public Task WriteAsync(IEnumerable<HourlyRollup> rollups, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        var latest = new Dictionary<string, RollupRow>(StringComparer.Ordinal);
        foreach (var rollup in rollups)
        {
            latest[rollup.eventId] = ToRow(rollup);
        }

        return _store.UpsertAsync(latest.Values, cancellationToken);
    }

    /// <summary>The store row of <paramref name="rollup"/>.</summary>
    public static RollupRow ToRow(HourlyRollup rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var row = new RollupRow(
            rollup.customerId,
            rollup.region,
            rollup.role,
            rollup.service.ToString(),
            AvroTime.From(rollup.hourStart),
            AvroDecimals.ToDecimal(rollup.usageQuantity),
            rollup.usageUnit,
            AvroDecimals.ToDecimal(rollup.cost),
            rollup.currency,
            rollup.lineCount,
            rollup.eventId);
        if (row.PartitionKey != rollup.partitionKey || row.IsoWeek != rollup.isoWeek)
        {
            throw new ArgumentException($"Rollup {rollup.eventId} has key {rollup.partitionKey}/{rollup.isoWeek}, but its fields give {row.PartitionKey}/{row.IsoWeek}.", nameof(rollup));
        }

        return row;
    }
}
