using StreamBilling.Pipeline.Invoicing;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The BillingConsumer (invoice) application in the host (section <c>Pipeline:Invoices</c>); see <see cref="InvoiceOptions"/>.</summary>
public sealed class InvoicesSettings : RatedApplicationSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:Invoices";

    /// <summary><see cref="InvoiceOptions.MonthCloseGrace"/> (unset: the default; months always close in the host).</summary>
    public TimeSpan? MonthCloseGrace { get; set; }

    /// <summary><see cref="InvoiceOptions.ClosedMonthRetention"/> (unset: the default; closed months are always pruned in the host).</summary>
    public TimeSpan? ClosedMonthRetention { get; set; }

    /// <summary>The topology's options (loads the rate card); throws <see cref="ArgumentException"/> when a value is invalid.</summary>
    internal InvoiceOptions ToOptions()
    {
        var card = LoadRateCard();
        var defaults = new InvoiceOptions { RateCard = card };
        var options = new InvoiceOptions
        {
            PersistentStores = PersistentStores,
            RateCard = card,
            ApplicationId = ApplicationId ?? defaults.ApplicationId,
            Source = Source ?? defaults.Source,
            MonthCloseGrace = MonthCloseGrace ?? defaults.MonthCloseGrace,
            ClosedMonthRetention = ClosedMonthRetention ?? defaults.ClosedMonthRetention,
        };
        options.Validate();
        return options;
    }
}
