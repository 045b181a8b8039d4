namespace StreamBilling.Streams;

/// <summary>One state change: key bytes and value bytes, or a null value for a deletion (tombstone).</summary>
/// <param name="Topic">Changelog topic, <c>&lt;applicationId&gt;-&lt;store&gt;-changelog</c>.</param>
/// <param name="Partition">Changelog partition, equal to the task's input partition.</param>
/// <param name="Key">Serialized store key (window stores append the window start as 8 big-endian UTC-tick bytes).</param>
/// <param name="Value">Serialized value; null deletes the key.</param>
/// <param name="Timestamp">Stream time of the task when the change was flushed.</param>
public readonly record struct ChangelogRecord(string Topic, int Partition, byte[] Key, byte[]? Value, DateTimeOffset Timestamp);
