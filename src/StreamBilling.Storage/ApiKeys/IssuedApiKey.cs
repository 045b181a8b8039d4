namespace StreamBilling.Storage.ApiKeys;

/// <summary>A key just created: the stored record and the key text, which is shown once and never stored.</summary>
/// <param name="Record">What the key file keeps.</param>
/// <param name="Key">The key to hand over (<c>sbk_&lt;id&gt;_&lt;secret&gt;</c>).</param>
public sealed record IssuedApiKey(ApiKeyRecord Record, string Key);
