using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Key of one input in a customer's ledger: the account, what the input is, and its id (the line id, allocation id or
/// association id). Stored as the text <c>account|L|lineId</c>, <c>account|A|allocationId</c> or
/// <c>account|S|associationId</c>, so a customer's entries sit together in the store.
/// </summary>
[JsonConverter(typeof(LedgerKeyJsonConverter))]
internal readonly record struct LedgerKey(string Account, LedgerEntryKind Kind, string Id)
{
    /// <summary>The separator between the parts of the stored key.</summary>
    public const char Separator = '|';

    /// <summary>The stored key text.</summary>
    public override string ToString() => $"{Account}{Separator}{Mark(Kind)}{Separator}{Id}";

    /// <summary>First key text of an account's entries.</summary>
    public static string FirstOf(string account) => account + Separator;

    /// <summary>A key text after every key of an account's entries.</summary>
    public static string AfterLastOf(string account) => account + Separator + '\uffff';

    /// <summary>Reads a stored key text.</summary>
    /// <exception cref="FormatException">Not <c>account|K|id</c> with K one of L, A, S.</exception>
    public static LedgerKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.IndexOf(Separator, StringComparison.Ordinal);
        if (first > 0 && first + 2 < text.Length && text[first + 2] == Separator && KindOf(text[first + 1]) is { } kind)
        {
            return new LedgerKey(text[..first], kind, text[(first + 3)..]);
        }

        throw new FormatException($"'{text}' is not a ledger key (account|L|id, account|A|id or account|S|id).");
    }

    /// <summary>
    /// Reads a stored key text of <paramref name="account"/>'s range; false for a key of another account that sorts
    /// inside it (one whose id starts with this account's id and <c>|</c>).
    /// </summary>
    public static bool TryParseOf(string account, string text, out LedgerKey key)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(text);
        key = default;
        var at = account.Length + 1;
        if (!text.StartsWith(FirstOf(account), StringComparison.Ordinal) || at + 1 >= text.Length || text[at + 1] != Separator || KindOf(text[at]) is not { } kind)
        {
            return false;
        }

        key = new LedgerKey(account, kind, text[(at + 2)..]);
        return true;
    }

    private static char Mark(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Line => 'L',
        LedgerEntryKind.Allocation => 'A',
        LedgerEntryKind.Association => 'S',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a ledger entry kind."),
    };

    private static LedgerEntryKind? KindOf(char mark) => mark switch
    {
        'L' => LedgerEntryKind.Line,
        'A' => LedgerEntryKind.Allocation,
        'S' => LedgerEntryKind.Association,
        _ => null,
    };
}

/// <summary>A <see cref="LedgerKey"/> in JSON as its stored key text.</summary>
internal sealed class LedgerKeyJsonConverter : JsonConverter<LedgerKey>
{
    public override LedgerKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LedgerKey.Parse(reader.GetString() ?? throw new JsonException("A ledger key cannot be null."));

    public override void Write(Utf8JsonWriter writer, LedgerKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
