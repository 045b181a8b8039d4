namespace StreamBilling.Storage;

/// <summary>A <see cref="CdnDistribution"/> as the registry holds it, with when it was first and last loaded.</summary>
/// <param name="Distribution">The registry row.</param>
/// <param name="AddedAt">First load (UTC).</param>
/// <param name="UpdatedAt">Last load that wrote it (UTC).</param>
public sealed record RegisteredCdnDistribution(CdnDistribution Distribution, DateTimeOffset AddedAt, DateTimeOffset UpdatedAt);
