using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Writes and reads a <see cref="BillingInput"/> as the object with two nullable members it was before it became a
/// union, so late records written before and after read the same way.
/// </summary>
internal sealed class BillingInputJsonConverter : JsonConverter<BillingInput>
{
    private const string LineName = "line";
    private const string ElasticIpName = "elasticIp";

    public override BillingInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A billing input is a JSON object.");
        }

        LineEntry? line = null;
        ElasticIpEvent? elasticIp = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, LineName, StringComparison.OrdinalIgnoreCase))
            {
                line = JsonSerializer.Deserialize(ref reader, TypeInfo<LineEntry>(options));
            }
            else if (string.Equals(name, ElasticIpName, StringComparison.OrdinalIgnoreCase))
            {
                elasticIp = JsonSerializer.Deserialize(ref reader, TypeInfo<ElasticIpEvent>(options));
            }
            else
            {
                reader.Skip();
            }
        }

        return (line, elasticIp) switch
        {
            ({ } l, null) => new PricedLineInput(l),
            (null, { } e) => new ElasticIpInput(e),
            _ => throw new JsonException("A billing input holds exactly one of a line and an Elastic IP event."),
        };
    }

    public override void Write(Utf8JsonWriter writer, BillingInput value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(LineName);
        if (value is PricedLineInput line)
        {
            JsonSerializer.Serialize(writer, line.Line, TypeInfo<LineEntry>(options));
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName(ElasticIpName);
        if (value is ElasticIpInput elasticIp)
        {
            JsonSerializer.Serialize(writer, elasticIp.Event, TypeInfo<ElasticIpEvent>(options));
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
