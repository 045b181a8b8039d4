namespace StreamBilling.Simulation;

/// <summary>Knobs of the usage simulator. Defaults give a realistic mix; <see cref="Validate"/> rejects nonsense early.</summary>
public sealed record SimulationOptions
{
    /// <summary>Seed of the random source: the same options always produce the same events.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of customers.</summary>
    public int Customers { get; init; } = 10;

    /// <summary>Start of simulated time (UTC, on a whole minute).</summary>
    public DateTimeOffset Start { get; init; } = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Length of simulated time; a whole number of <see cref="CdnSampleInterval"/>s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Average number of EC2 instances each customer launches over <see cref="Duration"/>.</summary>
    public double InstancesPerCustomer { get; init; } = 20;

    /// <summary>Longest lifetime of an instance that does terminate; lifetimes are spread between 5 minutes and this.</summary>
    public TimeSpan MaxInstanceLifetime { get; init; } = TimeSpan.FromHours(30);

    /// <summary>Share of launched instances that never terminate.</summary>
    public double NeverTerminatedRatio { get; init; } = 0.1;

    /// <summary>Share of terminating instances whose launch event is delivered after their terminate event.</summary>
    public double TerminateBeforeLaunchRatio { get; init; } = 0.05;

    /// <summary>Share of events re-sent a second time with the same eventId (1 s to 5 min later).</summary>
    public double DuplicateRatio { get; init; } = 0.02;

    /// <summary>Share of customers with a CDN burst that crosses a cap (alternately the 15-minute and the 3-hour one).</summary>
    public double CdnBurstCustomerRatio { get; init; } = 0.2;

    /// <summary>Interval of CloudWatch CDN samples (one per customer per interval); divides an hour.</summary>
    public TimeSpan CdnSampleInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How late Cost Explorer publishes a day's authoritative CDN total (about 24 h in AWS).</summary>
    public TimeSpan CostExplorerDelay { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Share of customers that use media services (MediaLive, MediaPackage, CloudFront, MediaConvert, S3 recordings).</summary>
    public double MediaCustomerRatio { get; init; } = 0.3;

    /// <summary>Share of instance launches that get an Elastic IP allocated and attached.</summary>
    public double ElasticIpRatio { get; init; } = 0.1;

    /// <summary>Share of customers that buy one reserved instance.</summary>
    public double ReservedCustomerRatio { get; init; } = 0.2;

    /// <summary>Whether to generate hourly S3 and DynamoDB usage.</summary>
    public bool MeteredStorage { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(Customers >= 1, nameof(Customers), "must be at least 1");
        Require(Start.Offset == TimeSpan.Zero, nameof(Start), "must be UTC");
        Require(Start.Ticks % TimeSpan.TicksPerMinute == 0, nameof(Start), "must be on a whole minute");
        Require(CdnSampleInterval > TimeSpan.Zero && TimeSpan.FromHours(1).Ticks % CdnSampleInterval.Ticks == 0
                && CdnSampleInterval.Ticks % TimeSpan.TicksPerSecond == 0,
            nameof(CdnSampleInterval), "must be whole seconds and divide an hour");
        Require(Duration > TimeSpan.Zero && Duration.Ticks % CdnSampleInterval.Ticks == 0, nameof(Duration),
            "must be positive and a whole number of sample intervals");
        Require(InstancesPerCustomer >= 0, nameof(InstancesPerCustomer), "must not be negative");
        Require(MaxInstanceLifetime >= TimeSpan.FromMinutes(10), nameof(MaxInstanceLifetime), "must be at least 10 minutes");
        Require(CostExplorerDelay >= TimeSpan.Zero, nameof(CostExplorerDelay), "must not be negative");
        foreach (var (value, name) in new[]
                 {
                     (NeverTerminatedRatio, nameof(NeverTerminatedRatio)), (TerminateBeforeLaunchRatio, nameof(TerminateBeforeLaunchRatio)),
                     (DuplicateRatio, nameof(DuplicateRatio)), (CdnBurstCustomerRatio, nameof(CdnBurstCustomerRatio)),
                     (MediaCustomerRatio, nameof(MediaCustomerRatio)), (ElasticIpRatio, nameof(ElasticIpRatio)),
                     (ReservedCustomerRatio, nameof(ReservedCustomerRatio)),
                 })
        {
            Require(value is >= 0 and <= 1, name, "must be between 0 and 1");
        }
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"SimulationOptions.{option} {rule}.", option);
        }
    }
}
