using System.Collections;
using System.Globalization;
using System.Text;

namespace StreamBilling.Contracts.Serialization;

/// <summary>
/// Builds the text of a generated record's <c>ToString()</c>: <c>Name { field = value, … }</c>, with nested records,
/// lists (first 10 items), UTC times and decimals written plainly and the schema left out, so logs and test failure
/// messages show the values instead of the schema JSON.
/// </summary>
public sealed class AvroRecordText
{
    private const int MaxItems = 10;
    private readonly StringBuilder _text = new();
    private bool _first = true;

    /// <summary>Starts the text of a record named <paramref name="recordName"/>.</summary>
    public AvroRecordText(string recordName) => _text.Append(recordName).Append(" {");

    /// <summary>Appends one field.</summary>
    public void Add(string name, object? value)
    {
        _text.Append(_first ? " " : ", ").Append(name).Append(" = ");
        _first = false;
        Append(value);
    }

    /// <summary>The finished text.</summary>
    public override string ToString() => _text + (_first ? "}" : " }");

    private void Append(object? value)
    {
        switch (value)
        {
            case null:
                _text.Append("null");
                break;
            case string text:
                _text.Append('"').Append(text).Append('"');
                break;
            case DateTime time:
                _text.Append(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                _text.Append(bytes.Length).Append(" bytes");
                break;
            case IDictionary map:
                AppendItems(map.Keys.Cast<object?>().Select(k => (object?)$"{k}: {map[k!]}"));
                break;
            case IEnumerable items:
                AppendItems(items.Cast<object?>());
                break;
            case IFormattable formattable:
                _text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                _text.Append(value);
                break;
        }
    }

    private void AppendItems(IEnumerable<object?> items)
    {
        _text.Append('[');
        var count = 0;
        foreach (var item in items)
        {
            if (count == MaxItems)
            {
                _text.Append(", …");
                break;
            }

            if (count++ > 0)
            {
                _text.Append(", ");
            }

            Append(item);
        }

        _text.Append(']');
    }
}
