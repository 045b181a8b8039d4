using Npgsql;

namespace StreamBilling.Storage;

/// <summary>Typed Npgsql parameters for the PostgreSQL store.</summary>
internal static class PostgresParameters
{
    /// <summary>One column of a batch as an array parameter, for <c>INSERT … SELECT * FROM unnest(@a, @b, …)</c>.</summary>
    public static void AddColumn<TRow, T>(NpgsqlCommand command, string name, IReadOnlyList<TRow> rows, Func<TRow, T> column) =>
        command.Parameters.Add(new NpgsqlParameter<T[]>(name, [.. rows.Select(column)]));

    /// <summary>One value; a <see cref="DateTimeOffset"/> must be in UTC (Npgsql writes timestamptz only from offset zero).</summary>
    public static void Add<T>(NpgsqlCommand command, string name, T value) => command.Parameters.Add(new NpgsqlParameter<T>(name, value));
}
