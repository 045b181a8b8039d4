namespace StreamBilling.Storage.ApiKeys;

/// <summary>
/// An API key as stored: its id (the part of the key before the secret), whose it is, and the SHA-256 of the whole key;
/// never the key itself.
/// </summary>
/// <param name="Id">Public id, printed in listings and used to revoke.</param>
/// <param name="Role">Customer or operator.</param>
/// <param name="AccountId">The customer's account; null for an operator key.</param>
/// <param name="Name">Free text to tell keys apart (who it was given to).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole key text.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="RevokedAt">When it was revoked (UTC); null while it is valid.</param>
public sealed record ApiKeyRecord(
    string Id,
    ApiKeyRole Role,
    string? AccountId,
    string Name,
    string Sha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>Whether the key still opens the API.</summary>
    public bool IsActive => RevokedAt is null;
}
