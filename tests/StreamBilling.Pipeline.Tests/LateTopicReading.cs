using System.Text;
using StreamBilling.Streams.Testing;

namespace StreamBilling.Pipeline.Tests;

/// <summary>Reads a topology's late-records topic: envelopes, with the rejected value read by the serde it was written with.</summary>
internal static class LateTopicReading
{
    /// <summary>Every unread late record: the rejected value, its reason and key, and the whole envelope.</summary>
    public static List<(TValue Value, string Reason, string Key, Streams.RejectedRecord Late)> ReadLate<TValue>(this TestOutputTopic<byte[], Streams.RejectedRecord> topic, Streams.ISerde<TValue> serde) =>
        [.. topic.ReadRecordsToList().Select(r => (r.Value.ValueAs(serde), r.Value.Reason, Encoding.UTF8.GetString(r.Key), r.Value))];
}
