namespace StreamBilling.Storage;

/// <summary>One version of a customer's monthly invoice as the store keeps it: its header, the id of the version and the full invoice as JSON.</summary>
/// <param name="Header">Who, which month, which version, the totals (also columns of the store).</param>
/// <param name="EventId">Id of this version.</param>
/// <param name="Document">The full invoice (lines, totals, corrections) as JSON.</param>
public sealed record StoredInvoice(InvoiceHeader Header, string EventId, string Document);
