namespace StreamBilling.Cli.Commands;

/// <summary>
/// The window sums <c>bench runtime</c>'s input must give, computed directly from the generator (record i: key
/// <c>i mod keys</c>, bytes <c>1000 + i mod 9973</c>, timestamp start + i × span per record), for a sample of keys; an
/// engine's sums are compared with them.
/// </summary>
internal sealed class WindowSumCheck
{
    private static readonly long Size = TimeSpan.FromMinutes(15).Ticks;
    private static readonly long Advance = TimeSpan.FromMinutes(1).Ticks;
    private readonly Dictionary<(string Key, long StartTicks), long> _expected = [];
    private readonly List<string> _mismatches = [];

    public WindowSumCheck(int records, string[] keyNames, long ticksPerRecord, DateTimeOffset eventStart, int sampleSize = 20)
    {
        var step = Math.Max(1, keyNames.Length / sampleSize);
        var sample = Enumerable.Range(0, Math.Min(sampleSize, keyNames.Length)).Select(j => j * step).ToArray();
        SampleKeys = [.. sample.Select(k => keyNames[k])];
        foreach (var k in sample)
        {
            for (long i = k; i < records; i += keyNames.Length)
            {
                var time = eventStart.UtcTicks + (i * ticksPerRecord);
                var last = time - (time % Advance);
                for (var start = last; start > time - Size; start -= Advance)
                {
                    var slot = (keyNames[k], start);
                    _expected[slot] = _expected.GetValueOrDefault(slot) + 1_000 + (i % 9_973);
                }
            }
        }
    }

    /// <summary>Keys whose windows are checked.</summary>
    public IReadOnlyList<string> SampleKeys { get; }

    /// <summary>Windows of the sample (with at least one record).</summary>
    public int ExpectedWindows => _expected.Count;

    /// <summary>Windows compared so far whose sum matched.</summary>
    public int Verified { get; private set; }

    /// <summary>Descriptions of the windows whose sum did not match (or that should not exist).</summary>
    public IReadOnlyList<string> Mismatches => _mismatches;

    /// <summary>Compares one window sum an engine reported; keys outside the sample are ignored.</summary>
    public void Check(string key, DateTimeOffset start, long sum)
    {
        if (!SampleKeys.Contains(key))
        {
            return;
        }

        if (!_expected.TryGetValue((key, start.UtcTicks), out var expected))
        {
            _mismatches.Add($"{key} {start:O}: {sum}, expected no window");
        }
        else if (expected != sum)
        {
            _mismatches.Add($"{key} {start:O}: {sum}, expected {expected}");
        }
        else
        {
            Verified++;
        }
    }

    /// <summary>Throws when a window sum mismatched; when none could be compared, says so (the last line then shows 0).</summary>
    public void ThrowIfFailed(string engine)
    {
        if (_mismatches.Count > 0)
        {
            throw new InvalidOperationException($"{engine}: {Verified} window sums verified, {_mismatches.Count} wrong: {string.Join("; ", _mismatches.Take(5))}");
        }

        if (Verified == 0)
        {
            Console.WriteLine($"{engine}: no window of the sample keys to verify (this project's runtime emits a window once it closes: give the run more event time, a lower --per-event-minute)");
        }
    }
}
