using StreamBilling.Billing.RateCards;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Pricing;

/// <summary>
/// Prices each input record with a bill-engine call (<paramref name="price"/>) and forwards the lines under the ids it
/// gives, so a re-sent input prices to the same ids. An input the rate card cannot price goes to the late-records topic
/// with the reason.
/// </summary>
internal sealed class UsagePricingProcessor<TValue>(Func<TValue, IEnumerable<PricedLineItem>> price, ISerde<TValue> valueSerde) : IProcessor<string, TValue>
{
    private IProcessorContext _context = null!;

    public void Init(IProcessorContext context) => _context = context;

    public void Process(Record<string, TValue> record)
    {
        List<PricedLineItem> items;
        try
        {
            items = [.. price(record.Value)];
        }
        catch (RateCardException e)
        {
            _context.SendToLateRecords(record, "no-rate: " + e.Message, Serdes.Utf8, valueSerde);
            return;
        }

        foreach (var item in items)
        {
            _context.Forward(new Record<string, PricedLineItem>(item.accountId, item, record.Timestamp) { Id = item.eventId });
        }
    }

    public void Close()
    {
    }
}
