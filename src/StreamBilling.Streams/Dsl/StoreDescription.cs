namespace StreamBilling.Streams;

/// <summary>A store of the topology.</summary>
/// <param name="Name">Store name.</param>
/// <param name="Kind">Key-value or window.</param>
/// <param name="Persistent">True for RocksDB.</param>
/// <param name="ChangelogTopic">Changelog topic, or null when logging is disabled.</param>
public sealed record StoreDescription(string Name, StoreKind Kind, bool Persistent, string? ChangelogTopic);
