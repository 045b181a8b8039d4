using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The loop that upserts <c>billing.invoices</c> into the invoice store (section <c>Pipeline:InvoiceSink</c>).</summary>
public sealed class InvoiceSinkSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:InvoiceSink";

    /// <summary>Whether this process runs the sink.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consumer group reading <c>billing.invoices</c>.</summary>
    public string GroupId { get; set; } = InvoiceSink.DefaultGroupId;

    /// <summary>
    /// Most records upserted (and committed) together; a batch also ends when no record is waiting. Smaller than the rollup
    /// sink's: an invoice carries all its lines.
    /// </summary>
    public int MaxBatchSize { get; set; } = 1_000;
}
