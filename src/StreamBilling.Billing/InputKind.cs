namespace StreamBilling.Billing;

/// <summary>Which list of a <see cref="BillInput"/> a record belongs to.</summary>
public enum InputKind
{
    /// <summary><see cref="BillInput.Customers"/>.</summary>
    Customer,

    /// <summary><see cref="BillInput.Rates"/>.</summary>
    Rate,

    /// <summary><see cref="BillInput.Usage"/>.</summary>
    Usage,

    /// <summary><see cref="BillInput.ReservedInstances"/>.</summary>
    ReservedInstance,

    /// <summary><see cref="BillInput.FreeTier"/>.</summary>
    FreeTier,

    /// <summary><see cref="BillInput.ElasticIpAllocations"/>.</summary>
    ElasticIpAllocation,

    /// <summary><see cref="BillInput.ElasticIpAssociations"/>.</summary>
    ElasticIpAssociation,

    /// <summary><see cref="BillInput.ElasticIpRates"/>.</summary>
    ElasticIpRate,
}
