using StreamBilling.Billing.Invoicing;

namespace StreamBilling.Billing;

/// <summary>Hands out one month's free hours, per allowance (Linux, Windows), to eligible pieces in the order they started.</summary>
internal static class FreeTierAllocator
{
    /// <summary>Free hours and the unrounded discount (free hours x each piece's rate) per line.</summary>
    public static Dictionary<InstanceLineKey, (long FreeHours, decimal ExactDiscount)> Allocate(List<FreeTierPiece> pieces)
    {
        var result = new Dictionary<InstanceLineKey, (long, decimal)>();
        if (pieces.Count == 0)
        {
            return result;
        }

        // Chronological by piece start; ties by instance, then region; then slice start and arrival so the result is stable.
        pieces.Sort(static (a, b) =>
        {
            var c = a.Allowance.CompareTo(b.Allowance);
            c = c != 0 ? c : a.PieceStart.CompareTo(b.PieceStart);
            c = c != 0 ? c : string.CompareOrdinal(a.Instance, b.Instance);
            c = c != 0 ? c : string.CompareOrdinal(a.Region, b.Region);
            c = c != 0 ? c : a.SliceStart.CompareTo(b.SliceStart);
            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        });

        var allowance = pieces[0].Allowance;
        long remaining = BillCalculator.FreeHoursPerMonth;
        foreach (var piece in pieces)
        {
            if (piece.Allowance != allowance)
            {
                // Each allowance starts full; unused hours never roll over or move to the other allowance.
                allowance = piece.Allowance;
                remaining = BillCalculator.FreeHoursPerMonth;
            }

            var free = Math.Min(remaining, piece.Hours);
            if (free == 0)
            {
                continue;
            }

            remaining -= free;
            var current = result.GetValueOrDefault(piece.Line);
            result[piece.Line] = (current.Item1 + free, current.Item2 + (free * piece.Rate));
        }

        return result;
    }

    /// <summary>The allowance an OS draws on: Windows has its own; Linux, Red Hat and SUSE share the Linux one.</summary>
    public static InstanceOs AllowanceOf(InstanceOs os) => os == InstanceOs.Windows ? InstanceOs.Windows : InstanceOs.Linux;
}
