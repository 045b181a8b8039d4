namespace StreamBilling.Pipeline.Sinks;

/// <summary>What a store sink's consumer loop (<c>StoreSinkService</c> in StreamBilling.Pipeline.Hosting) reads and how it stores it.</summary>
/// <typeparam name="TRecord">The topic's Avro record.</typeparam>
/// <param name="Name">Name in logs, e.g. <c>Rollup</c>.</param>
/// <param name="Topic">The topic read.</param>
/// <param name="WriteAsync">Writes one batch idempotently (a re-delivered batch changes nothing).</param>
/// <param name="Validate">Why a record cannot be stored (it is dead-lettered), or null.</param>
internal sealed record StoreSinkDefinition<TRecord>(
    string Name,
    string Topic,
    Func<IReadOnlyList<TRecord>, CancellationToken, Task> WriteAsync,
    Func<TRecord, string?> Validate);
