namespace StreamBilling.Streams;

/// <summary>One record header: a key and a raw (possibly null) value.</summary>
/// <param name="Key">Header name.</param>
/// <param name="Value">Raw header bytes; null is allowed as in Kafka.</param>
public readonly record struct Header(string Key, byte[]? Value);
