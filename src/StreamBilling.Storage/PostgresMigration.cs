namespace StreamBilling.Storage;

/// <summary>One script of <c>infra/postgres</c>: <c>NNN_name.sql</c>.</summary>
/// <param name="Version">NNN.</param>
/// <param name="Name">name.</param>
/// <param name="Sql">The script.</param>
internal sealed record PostgresMigration(int Version, string Name, string Sql);
