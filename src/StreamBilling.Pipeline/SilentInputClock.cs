namespace StreamBilling.Pipeline;

/// <summary>
/// Stream time for the once-per-period duties of a task whose input fell silent (the daily CDN billing message, month
/// close): stream time only moves with records, so a customer or partition with no new records would never get its
/// message or final invoice. Once no record has come for <paramref name="silentAfter"/> of wall-clock time, stream time is
/// taken to move on with the wall clock from where it stopped, by the time since the last record. Live input keeps the two together; a backlog replayed
/// with old timestamps does not jump to today, it only moves on during a silence, a second per second.
/// </summary>
/// <param name="silentAfter">Wall-clock time without a record after which the input counts as silent.</param>
internal sealed class SilentInputClock(TimeSpan silentAfter)
{
    private DateTimeOffset _streamTime = DateTimeOffset.MinValue;
    private DateTimeOffset _lastRecordAt;

    /// <summary>Notes a record, and the task's stream time after it, at wall-clock time <paramref name="wallClock"/>.</summary>
    public void Observe(DateTimeOffset streamTime, DateTimeOffset wallClock)
    {
        // Any record ends a silence, even one that does not move stream time (out of order): input is still flowing.
        _lastRecordAt = wallClock;
        if (streamTime > _streamTime)
        {
            _streamTime = streamTime;
        }
    }

    /// <summary>
    /// Stream time moved on by the silence so far, when the silence has lasted long enough; null while records keep
    /// coming, and before the first record since the start (a restarted task waits for its input first).
    /// </summary>
    public DateTimeOffset? EffectiveTime(DateTimeOffset wallClock)
    {
        if (_streamTime == DateTimeOffset.MinValue)
        {
            return null;
        }

        var silence = wallClock - _lastRecordAt;
        return silence >= silentAfter ? _streamTime + silence : null;
    }
}
