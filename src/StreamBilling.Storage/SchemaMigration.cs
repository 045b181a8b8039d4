namespace StreamBilling.Storage;

/// <summary>One versioned schema script, <c>NNN_name.sql</c>.</summary>
/// <param name="Version">NNN, from 1.</param>
/// <param name="Name">The name part, recorded in <c>schema_version</c>.</param>
/// <param name="FileName">The script's file name.</param>
/// <param name="Sql">The statements.</param>
internal sealed record SchemaMigration(int Version, string Name, string FileName, string Sql);
