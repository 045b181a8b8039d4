using StreamBilling.Billing;

namespace StreamBilling.Storage;

/// <summary>
/// The latest version of each customer's monthly invoice, keyed by invoiceId (<c>CUSTID/yyyy-MM</c>). Versions are ordered
/// by revision: storing an older revision after a newer one changes nothing, so replaying the topic is harmless.
/// </summary>
public interface IInvoiceStore
{
    /// <summary>Stores each invoice unless the store already holds a higher revision of the same invoiceId.</summary>
    Task UpsertInvoicesAsync(IReadOnlyCollection<StoredInvoice> invoices, CancellationToken cancellationToken = default);

    /// <summary>The latest invoice of <paramref name="customerId"/> for <paramref name="billingMonth"/>, or null.</summary>
    Task<StoredInvoice?> GetInvoiceAsync(string customerId, BillingMonth billingMonth, CancellationToken cancellationToken = default);

    /// <summary>The latest invoice header of each month billed to <paramref name="customerId"/>, oldest month first.</summary>
    Task<IReadOnlyList<InvoiceHeader>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Every customer the store holds an invoice for, in ordinal order (the operator's account list).</summary>
    Task<IReadOnlyList<string>> ListInvoicedCustomersAsync(CancellationToken cancellationToken = default);
}
