namespace StreamBilling.Streams;

/// <summary>A key scoped to one time window <c>[Start, End)</c>.</summary>
/// <typeparam name="TKey">Inner key type.</typeparam>
/// <param name="Key">Inner key.</param>
/// <param name="Start">Inclusive window start.</param>
/// <param name="End">Exclusive window end.</param>
public readonly record struct Windowed<TKey>(TKey Key, DateTimeOffset Start, DateTimeOffset End);
