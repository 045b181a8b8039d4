namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// The input of a <c>--rate 0</c> chaos run cut into stages that are published one after another: contiguous slices of the
/// publish order, so their concatenation is the input and every partition receives its records in the same order.
/// </summary>
internal static class InputStages
{
    /// <summary>
    /// <paramref name="items"/> in <paramref name="stages"/> slices whose sizes differ by at most one; fewer when there are
    /// fewer items (no slice is empty), one empty slice when there are none.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<T>> Split<T>(IReadOnlyList<T> items, int stages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stages, 1);
        var count = Math.Max(1, Math.Min(stages, items.Count));
        var slices = new List<IReadOnlyList<T>>(count);
        for (var k = 0; k < count; k++)
        {
            // Boundaries at k * n / count spread the remainder over the slices, so sizes differ by at most one.
            var from = (int)((long)items.Count * k / count);
            var to = (int)((long)items.Count * (k + 1) / count);
            slices.Add([.. items.Skip(from).Take(to - from)]);
        }

        return slices;
    }
}
