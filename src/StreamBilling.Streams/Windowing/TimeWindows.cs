namespace StreamBilling.Streams;

/// <summary>
/// Tumbling (advance = size) or hopping (advance &lt; size) event-time windows with a grace period. Window starts are
/// multiples of the advance counted from the Unix epoch; a window <c>[start, start + size)</c> closes when stream time
/// reaches <c>start + size + grace</c>.
/// </summary>
public sealed class TimeWindows
{
    private TimeWindows(TimeSpan size, TimeSpan advance, TimeSpan grace)
    {
        if (size <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "Window size must be positive.");
        }

        if (advance <= TimeSpan.Zero || advance > size)
        {
            throw new ArgumentOutOfRangeException(nameof(advance), advance, "Advance must be positive and not larger than the size.");
        }

        if (grace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(grace), grace, "Grace must not be negative.");
        }

        Size = size;
        Advance = advance;
        Grace = grace;
    }

    /// <summary>Window length.</summary>
    public TimeSpan Size { get; }

    /// <summary>Distance between consecutive window starts; equal to <see cref="Size"/> for tumbling windows.</summary>
    public TimeSpan Advance { get; }

    /// <summary>How long after its end a window still accepts out-of-order records.</summary>
    public TimeSpan Grace { get; }

    /// <summary>True when windows do not overlap.</summary>
    public bool IsTumbling => Advance == Size;

    /// <summary>Tumbling windows of <paramref name="size"/> accepting records up to <paramref name="grace"/> after their end.</summary>
    public static TimeWindows OfSizeWithGrace(TimeSpan size, TimeSpan grace) => new(size, size, grace);

    /// <summary>Tumbling windows of <paramref name="size"/> that close exactly at their end.</summary>
    public static TimeWindows OfSizeWithNoGrace(TimeSpan size) => new(size, size, TimeSpan.Zero);

    /// <summary>Hopping windows: <paramref name="size"/> long, a new one every <paramref name="advance"/>.</summary>
    public static TimeWindows Hopping(TimeSpan size, TimeSpan advance, TimeSpan grace) => new(size, advance, grace);

    /// <summary>These windows turned into hopping windows advancing by <paramref name="advance"/>.</summary>
    public TimeWindows AdvanceBy(TimeSpan advance) => new(Size, advance, Grace);

    /// <summary>Starts of the first and last window containing <paramref name="timestamp"/>; every advance step in between is one window.</summary>
    public (DateTimeOffset First, DateTimeOffset Last) WindowStartsFor(DateTimeOffset timestamp)
    {
        var (first, last) = WindowMath.StartsContaining(timestamp.UtcTicks, Size.Ticks, Advance.Ticks);
        return (WindowMath.ToTime(first), WindowMath.ToTime(last));
    }

    /// <summary>The windows containing <paramref name="timestamp"/>, oldest first (allocates; the runtime uses the tick arithmetic directly).</summary>
    public IReadOnlyList<Windowed<TKey>> WindowsFor<TKey>(TKey key, DateTimeOffset timestamp)
    {
        var (first, last) = WindowMath.StartsContaining(timestamp.UtcTicks, Size.Ticks, Advance.Ticks);
        var windows = new List<Windowed<TKey>>();
        for (var start = first; start <= last; start += Advance.Ticks)
        {
            windows.Add(new Windowed<TKey>(key, WindowMath.ToTime(start), WindowMath.ToTime(WindowMath.End(start, Size.Ticks))));
        }

        return windows;
    }

    /// <summary>Stream time at which the window starting at <paramref name="windowStart"/> closes (end + grace).</summary>
    public DateTimeOffset CloseTime(DateTimeOffset windowStart) =>
        WindowMath.ToTime(WindowMath.End(WindowMath.End(windowStart.UtcTicks, Size.Ticks), Grace.Ticks));

    /// <summary>True when the window starting at <paramref name="windowStart"/> is closed at <paramref name="streamTime"/>.</summary>
    public bool IsClosed(DateTimeOffset windowStart, DateTimeOffset streamTime) => streamTime >= CloseTime(windowStart);

    /// <inheritdoc />
    public override string ToString() => $"TimeWindows(size={Size}, advance={Advance}, grace={Grace})";
}
