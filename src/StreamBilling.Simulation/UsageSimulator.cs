namespace StreamBilling.Simulation;

/// <summary>
/// Deterministic usage generator: for the configured customers and time range it produces EC2, CDN, S3, DynamoDB, media
/// and Elastic IP events, with the anomalies a billing pipeline must survive (never-terminated instances, terminate before
/// launch, duplicate deliveries, CDN bursts over the caps, 24 h late authoritative CDN totals).
/// </summary>
/// <remarks>
/// The sequence is ordered by <see cref="SimulatedEvent.Timestamp"/> (ties in generation order) and is generated lazily, with
/// memory bounded by the events scheduled for later (open instances, pending deliveries). It never touches Kafka or a clock:
/// pace it with <see cref="EventPacer"/>.
/// </remarks>
public sealed class UsageSimulator
{
    private readonly SimulationOptions _options;

    /// <summary>Creates a simulator; throws <see cref="ArgumentException"/> for invalid options.</summary>
    public UsageSimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Customers = CustomerProfile.Create(options).Select(p => p.Public).ToList();
    }

    /// <summary>The simulated customers and their CDN burst plans.</summary>
    public IReadOnlyList<SimulatedCustomer> Customers { get; }

    /// <summary>Generates the events. Every enumeration yields the same sequence.</summary>
    public IEnumerable<SimulatedEvent> Generate() => new SimulationRun(_options, CustomerProfile.Create(_options)).Run();
}
