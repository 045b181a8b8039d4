using System.Text.Json.Serialization;

namespace StreamBilling.Billing.RateCards;

// The JSON shape of infra/rate-card.json; RateCard.Parse checks it and turns it into lookups.
#pragma warning disable CA1812 // Instantiated by System.Text.Json.
internal sealed class RateCardFile
{
    public string? Currency { get; set; }

    public List<VersionFile>? Versions { get; set; }

    public List<SpotPriceFile>? SpotPrices { get; set; }

    internal sealed class VersionFile
    {
        public string? Version { get; set; }

        public DateTimeOffset? EffectiveFrom { get; set; }

        public List<InstanceFile>? Ec2 { get; set; }

        /// <summary>Null: no free tier in this version.</summary>
        public List<FreeTierFile>? FreeTierEligible { get; set; }

        public List<ElasticIpFile>? ElasticIpIdlePerHour { get; set; }

        public List<MeteredFile>? Metered { get; set; }
    }

    internal sealed class InstanceFile
    {
        public string? Region { get; set; }

        public string? InstanceType { get; set; }

        [JsonConverter(typeof(JsonStringEnumConverter<InstanceOs>))]
        public InstanceOs? Os { get; set; }

        public decimal? OnDemandPerHour { get; set; }

        public decimal? ReservedPerHour { get; set; }

        /// <summary><c>per-hour</c> (default) or <c>per-second</c>; read by hand so a bad value names its entry.</summary>
        public string? Billing { get; set; }
    }

    internal sealed class FreeTierFile
    {
        public string? Region { get; set; }

        public string? InstanceType { get; set; }
    }

    internal sealed class ElasticIpFile
    {
        public string? Region { get; set; }

        public decimal? PerHour { get; set; }
    }

    internal sealed class MeteredFile
    {
        [JsonConverter(typeof(JsonStringEnumConverter<BillableService>))]
        public BillableService? Service { get; set; }

        public string? UsageType { get; set; }

        public string? Region { get; set; }

        public string? Unit { get; set; }

        public decimal? PerUnit { get; set; }

        public List<TierFile>? Tiers { get; set; }

        /// <summary><c>graduated</c> (default) or <c>volume</c>; only with tiers.</summary>
        public string? TierMode { get; set; }
    }

    internal sealed class TierFile
    {
        public decimal? UpTo { get; set; }

        public decimal? PerUnit { get; set; }
    }

    internal sealed class SpotPriceFile
    {
        public string? Region { get; set; }

        public string? InstanceType { get; set; }

        [JsonConverter(typeof(JsonStringEnumConverter<InstanceOs>))]
        public InstanceOs? Os { get; set; }

        public DateTimeOffset? From { get; set; }

        public decimal? PerHour { get; set; }
    }
}
#pragma warning restore CA1812
