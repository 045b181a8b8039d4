namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// The invoice application's state, typed: every customer's inputs by <see cref="LedgerKey"/> (stored under the key's
/// text, so a customer's entries are one key range) and each customer's <see cref="CustomerInvoices"/> bookkeeping. Both
/// stores are changelogged by the runtime.
/// </summary>
internal sealed class LedgerStore(IKeyValueStore<string, LedgerEntry> entries, IKeyValueStore<string, CustomerInvoices> customers)
{
    public bool TryGet(LedgerKey key, out LedgerEntry entry) => entries.TryGet(key.ToString(), out entry!);

    public void Put(LedgerKey key, LedgerEntry entry) => entries.Put(key.ToString(), entry);

    public void Delete(LedgerKey key) => entries.Delete(key.ToString());

    /// <summary>Every entry of <paramref name="account"/>, in key order.</summary>
    public List<(LedgerKey Key, LedgerEntry Entry)> EntriesOf(string account)
    {
        var found = new List<(LedgerKey Key, LedgerEntry Entry)>();
        foreach (var (text, entry) in entries.Range(LedgerKey.FirstOf(account), LedgerKey.AfterLastOf(account)))
        {
            if (LedgerKey.TryParseOf(account, text, out var key))
            {
                found.Add((key, entry));
            }
        }

        return found;
    }

    /// <summary>The customer's bookkeeping; a new one when the customer has none yet.</summary>
    public CustomerInvoices Customer(string account) => customers.TryGet(account, out var state) ? state : new CustomerInvoices();

    public void PutCustomer(string account, CustomerInvoices state) => customers.Put(account, state);

    /// <summary>Every customer's bookkeeping (a copy: the caller may write while walking it).</summary>
    public List<KeyValuePair<string, CustomerInvoices>> Customers() => [.. customers.All()];
}
