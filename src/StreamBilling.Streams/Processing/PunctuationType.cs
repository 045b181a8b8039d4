namespace StreamBilling.Streams;

/// <summary>Which clock drives a punctuator.</summary>
public enum PunctuationType
{
    /// <summary>Event time: fires as records advance the task's stream time past an interval boundary.</summary>
    StreamTime,

    /// <summary>Wall-clock time of the injected <see cref="TimeProvider"/>, checked between records.</summary>
    WallClockTime,
}
