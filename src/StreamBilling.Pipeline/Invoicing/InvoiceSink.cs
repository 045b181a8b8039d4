using StreamBilling.Events.Outputs;
using StreamBilling.Storage;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Writes <see cref="Invoice"/> records (as read from <c>billing.invoices</c>) into the invoice store. The store keeps the
/// highest revision of each invoiceId, so a re-delivered batch or a replay of the topic from the start changes nothing.
/// </summary>
/// <param name="store">The invoice store.</param>
public sealed class InvoiceSink(IInvoiceStore store)
{
    /// <summary>Default consumer group of the sink in the host.</summary>
    public const string DefaultGroupId = "streambilling-invoice-sink";

    private readonly IInvoiceStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>What the host's consumer loop reads and writes.</summary>
    internal Sinks.StoreSinkDefinition<Invoice> Definition => new("Invoice", Contracts.Topics.Invoices, WriteAsync, Validate);

    /// <summary>Why an invoice cannot be stored (its id disagrees with its customer and month), or null.</summary>
    internal static string? Validate(Invoice invoice)
    {
        if (string.IsNullOrWhiteSpace(invoice.eventId))
        {
            return "invoice without eventId";
        }

        try
        {
            _ = ToStored(invoice);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Upserts <paramref name="invoices"/>; within the batch only the highest revision of each invoice is written.</summary>
    public Task WriteAsync(IEnumerable<Invoice> invoices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        var latest = new Dictionary<string, Invoice>(StringComparer.Ordinal);
        foreach (var invoice in invoices)
        {
            if (!latest.TryGetValue(invoice.invoiceId, out var kept) || invoice.revision >= kept.revision)
            {
                latest[invoice.invoiceId] = invoice;
            }
        }

        return _store.UpsertInvoicesAsync([.. latest.Values.Select(ToStored)], cancellationToken);
    }

    /// <summary>The store row of <paramref name="invoice"/>: its header and its <see cref="InvoiceDocument"/> as JSON.</summary>
    /// <exception cref="ArgumentException">The invoice's id or month is not valid (see <see cref="InvoiceDocument.From"/>).</exception>
    public static StoredInvoice ToStored(Invoice invoice)
    {
        var document = InvoiceDocument.From(invoice);
        return new StoredInvoice(document.Header, invoice.eventId, document.ToJson());
    }
}
