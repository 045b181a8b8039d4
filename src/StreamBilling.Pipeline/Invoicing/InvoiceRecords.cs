using StreamBilling.Billing;
using StreamBilling.Events.Common;
using StreamBilling.Events.Outputs;
using StreamBilling.Pipeline.Pricing;
using StreamBilling.Pipeline.Wire;

namespace StreamBilling.Pipeline.Invoicing;

/// <summary>
/// Conversions between the bill engine's <see cref="MonthlyBill"/> and the <see cref="Invoice"/> Avro record, so an
/// invoice read back from <c>billing.invoices</c> writes the same bill file as the batch engine. Lines keep the bill's
/// order: instance lines, Elastic IPs, service lines, corrections. EC2 lines (and EC2 corrections) carry their pricing
/// (<c>OnDemand</c>, <c>Spot</c>, <c>Reserved</c>) in <c>description</c>. Not carried: an instance line's free hours
/// (the discount is), used time below a second.
/// </summary>
public static class InvoiceRecords
{
    /// <summary>Deterministic invoice id of a customer and month: <c>CUSTID/yyyy-MM</c>.</summary>
    public static string InvoiceId(string customerId, BillingMonth month) => Storage.InvoiceHeader.IdOf(customerId, month);

    /// <summary>The invoice record of <paramref name="bill"/>.</summary>
    public static Invoice ToRecord(MonthlyBill bill, InvoiceStatus status, long revision, DateTimeOffset issuedAt, string source, string currency)
    {
        ArgumentNullException.ThrowIfNull(bill);
        var invoiceId = InvoiceId(bill.CustomerId, bill.Month);
        var lines = new List<InvoiceLine>();
        foreach (var line in bill.Lines)
        {
            lines.Add(Line(
                invoiceId, line.Pricing == Billing.Pricing.Reserved ? ServiceKind.ReservedInstance : ServiceKind.Ec2, line.Region, line.InstanceType, line.Pricing.ToString(),
                line.Resources, Seconds(line.UsedTime), line.BilledHours * 3600, line.BilledHours, "Hours", line.Rate, line.Amount, line.Discount, correctsMonth: null));
        }

        foreach (var line in bill.ElasticIpLines)
        {
            lines.Add(Line(
                invoiceId, ServiceKind.ElasticIp, line.Region, line.IpAddress, CorrectionLine.KindText(BillableService.ElasticIp), 1, Seconds(line.AllocatedTime), line.BilledHours * 3600, line.BilledHours,
                "Hours", line.Rate, line.Amount, 0m, correctsMonth: null));
        }

        foreach (var line in bill.ServiceLines)
        {
            lines.Add(Line(
                invoiceId, WireEnums.ToWire(line.Service), line.Region, line.UsageType, line.UsageType, line.Resources, 0, 0, line.Quantity, line.Unit, line.Rate,
                line.Amount, 0m, correctsMonth: null));
        }

        foreach (var line in bill.Corrections)
        {
            var service = line.Service == BillableService.Ec2 && line.Pricing == nameof(Billing.Pricing.Reserved)
                ? ServiceKind.ReservedInstance
                : WireEnums.ToWire(line.Service);
            lines.Add(Line(
                invoiceId, service, line.Region, line.Item, line.Pricing, 0, 0, 0, line.Quantity, line.Unit, 0m, line.Amount, line.Discount, line.CorrectsMonth));
        }

        return new Invoice
        {
            eventId = DeterministicId.FromParts("invoice", invoiceId, status.ToString(), revision.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            source = source,
            invoiceId = invoiceId,
            customerId = bill.CustomerId,
            customerName = bill.CustomerName,
            billingMonth = bill.Month.ToString(),
            periodStart = AvroTime.To(bill.Month.Start),
            periodEnd = AvroTime.To(bill.Month.End),
            status = status,
            revision = revision,
            issuedAt = AvroTime.To(issuedAt),
            currency = currency,
            totalAmount = AvroDecimals.Money(bill.TotalAmount),
            totalDiscount = AvroDecimals.Money(bill.TotalDiscount),
            actualAmount = AvroDecimals.Money(bill.ActualAmount),
            lines = lines,
        };
    }

    /// <summary>The bill an invoice record describes (what <c>BillCsvWriter</c> writes).</summary>
    public static MonthlyBill ToBill(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var lines = new List<BillLine>();
        var elasticIps = new List<ElasticIpLine>();
        var services = new List<ServiceLine>();
        var corrections = new List<CorrectionLine>();
        foreach (var line in invoice.lines)
        {
            var quantity = AvroDecimals.ToDecimal(line.quantity);
            var rate = AvroDecimals.ToDecimal(line.rate);
            var amount = AvroDecimals.ToDecimal(line.amount);
            var discount = AvroDecimals.ToDecimal(line.discount);
            if (line.isCorrection)
            {
                var kind = line.service == ServiceKind.ReservedInstance ? BillableService.Ec2 : WireEnums.ToDomain(line.service);
                corrections.Add(new CorrectionLine(
                    BillingMonth.Parse(line.correctsMonth!), kind, line.region, line.resourceType, line.description, quantity, line.unit, amount, discount));
                continue;
            }

            switch (line.service)
            {
                case ServiceKind.Ec2 or ServiceKind.ReservedInstance when IsPricing(line.description):
                    lines.Add(new BillLine(
                        line.region, line.resourceType, Enum.Parse<Billing.Pricing>(line.description), line.resourceCount, TimeSpan.FromSeconds(line.usedSeconds),
                        line.billedSeconds / 3600, FreeHours: 0, rate, amount, discount));
                    break;
                case ServiceKind.ElasticIp:
                    elasticIps.Add(new ElasticIpLine(line.region, line.resourceType, TimeSpan.FromSeconds(line.usedSeconds), line.billedSeconds / 3600, rate, amount));
                    break;
                default:
                    services.Add(new ServiceLine(WireEnums.ToDomain(line.service), line.region, line.resourceType, line.resourceCount, quantity, line.unit, rate, amount));
                    break;
            }
        }

        return new MonthlyBill(invoice.customerId, invoice.customerName ?? invoice.customerId, BillingMonth.Parse(invoice.billingMonth), lines, elasticIps)
        {
            ServiceLines = services,
            Corrections = corrections,
        };
    }

    private static InvoiceLine Line(
        string invoiceId, ServiceKind service, string region, string resourceType, string description, int resources, long usedSeconds, long billedSeconds,
        decimal quantity, string unit, decimal rate, decimal amount, decimal discount, BillingMonth? correctsMonth) => new()
        {
            lineId = DeterministicId.FromParts("invoice-line", invoiceId, correctsMonth?.ToString() ?? string.Empty, service.ToString(), region, resourceType, description),
            service = service,
            region = region,
            resourceType = resourceType,
            description = description,
            resourceCount = resources,
            usedSeconds = usedSeconds,
            billedSeconds = billedSeconds,
            quantity = AvroDecimals.Quantity(quantity),
            unit = unit,
            rate = PricedLineItems.Rate(rate),
            amount = AvroDecimals.Money(amount),
            discount = AvroDecimals.Money(discount),
            actualAmount = AvroDecimals.Money(amount - discount),
            isCorrection = correctsMonth is not null,
            correctsMonth = correctsMonth?.ToString(),
            sourceLineIds = [],
        };

    private static long Seconds(TimeSpan time) => time.Ticks / TimeSpan.TicksPerSecond;

    /// <summary>
    /// True for an EC2 line billed in started hours (its description is its pricing); an EC2 line billed per second
    /// is a service line whose description is its usage type (<c>BoxUsage:t3.micro:Linux</c>).
    /// </summary>
    private static bool IsPricing(string description) =>
        description is nameof(Billing.Pricing.OnDemand) or nameof(Billing.Pricing.Spot) or nameof(Billing.Pricing.Reserved);
}
