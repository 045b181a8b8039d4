using Confluent.Kafka;

namespace StreamBilling.Kafka;

/// <summary>Which offset-commit errors mean the consumer group moved on (an instance joined or left), not a failure.</summary>
public static class GroupCommitErrors
{
    /// <summary>
    /// True for a commit refused because the group is rebalancing or this member's generation is gone: the partitions'
    /// next owner reads from the last committed offset, so the caller may skip this commit and go on.
    /// </summary>
    public static bool IsGroupMovedOn(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;
    }
}
