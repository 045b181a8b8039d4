using System.Diagnostics;
using System.Diagnostics.Metrics;
using StreamBilling.Events.Outputs;

namespace StreamBilling.Pipeline.Telemetry;

/// <summary>
/// Meter <c>StreamBilling.Billing</c>: what the billing topologies take in and put out. Tags are low-cardinality on
/// purpose (service, topic, currency, window, status): never a customer, account, distribution or invoice id, which
/// would make one time series per customer in Prometheus. Counted where a record is processed, so a replay after a
/// crash (at-least-once on the embedded cluster) counts it again: rates are exact, totals are an upper bound.
/// </summary>
public static class BillingMetrics
{
    /// <summary>Meter name (matched by the host's <c>StreamBilling.*</c> registration).</summary>
    public const string MeterName = "StreamBilling.Billing";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> UsageEvents =
        Meter.CreateCounter<long>("streambilling.billing.usage_events", "{event}", "Usage events read by the pipeline's first stage, per service and topic.");

    private static readonly Counter<double> CdnTraffic =
        Meter.CreateCounter<double>("streambilling.billing.cdn_traffic", "GBy", "CDN traffic (CloudWatch samples) counted into the cap windows, in GB (10^9 bytes).");

    private static readonly Counter<long> CdnCapDecisions =
        Meter.CreateCounter<long>("streambilling.billing.cdn_cap_decisions", "{decision}", "CDN cap crossings decided (a distribution is disabled), per cap window.");

    private static readonly Histogram<double> CdnCapWindowTraffic =
        Meter.CreateHistogram<double>("streambilling.billing.cdn_cap_window_traffic", "GBy", "Traffic in the window that crossed a cap, in GB, per cap window.");

    private static readonly Counter<long> PricedLines =
        Meter.CreateCounter<long>("streambilling.billing.priced_lines", "{line}", "Priced lines written (retractions excluded), per service and currency.");

    private static readonly Counter<double> PricedAmount =
        Meter.CreateCounter<double>("streambilling.billing.priced_amount", "{currency_unit}", "Sum of priced line amounts (before free tier and discounts), per service and currency.");

    private static readonly Counter<long> InvoicesPublished =
        Meter.CreateCounter<long>("streambilling.billing.invoices_published", "{invoice}", "Invoice versions published, per status (month_to_date, final).");

    /// <summary>Counts every record of <paramref name="stream"/> as a usage event of its topic's service (<c>usage.&lt;service&gt;.*</c>).</summary>
    internal static KStream<string, TValue> CountingUsage<TValue>(this KStream<string, TValue> stream, string topic)
    {
        var tags = new TagList { { "service", ServiceOf(topic) }, { "topic", topic } };
        return stream.Peek((_, _) => UsageEvents.Add(1, tags));
    }

    /// <summary>Counts every priced line of <paramref name="stream"/> and its amount.</summary>
    internal static KStream<string, PricedLineItem> CountingPricedLines(this KStream<string, PricedLineItem> stream) =>
        stream.Peek((_, line) => RecordPricedLine(line));

    internal static void RecordCdnTraffic(long bytes) => CdnTraffic.Add(bytes / 1e9);

    internal static void RecordCapDecision(string window, long totalBytes)
    {
        var tag = new KeyValuePair<string, object?>("window", window);
        CdnCapDecisions.Add(1, tag);
        CdnCapWindowTraffic.Record(totalBytes / 1e9, tag);
    }

    internal static void RecordInvoice(InvoiceStatus status) =>
        InvoicesPublished.Add(1, new KeyValuePair<string, object?>("status", status == InvoiceStatus.Final ? "final" : "month_to_date"));

    private static void RecordPricedLine(PricedLineItem line)
    {
        if (line.isRetraction)
        {
            return;
        }

        var tags = new TagList { { "service", line.service.ToString() }, { "currency", line.currency } };
        PricedLines.Add(1, tags);
        PricedAmount.Add((double)AvroDecimals.ToDecimal(line.amount), tags);
    }

    /// <summary><c>usage.ec2.instance-launched</c> → <c>ec2</c>.</summary>
    internal static string ServiceOf(string topic)
    {
        var parts = topic.Split('.');
        return parts.Length >= 3 && parts[0] == "usage" ? parts[1] : topic;
    }
}
