namespace StreamBilling.Pipeline.Invoicing;

/// <summary>What a ledger entry holds.</summary>
internal enum LedgerEntryKind
{
    /// <summary>A priced line, latest version wins (<c>L</c> in the stored key).</summary>
    Line,

    /// <summary>Both ends of an Elastic IP allocation (<c>A</c>).</summary>
    Allocation,

    /// <summary>Both ends of an Elastic IP association (<c>S</c>).</summary>
    Association,
}
