using DuckDB.NET.Data;

namespace StreamBilling.Cur.Tests;

/// <summary>Reads the store file back with plain SQL, as an analyst would (after the importer has closed it).</summary>
internal static class CurStoreReader
{
    public static async Task<List<object?[]>> QueryAsync(string dbPath, string sql)
    {
        await using var connection = new DuckDBConnection($"Data Source={dbPath}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task<T> ScalarAsync<T>(string dbPath, string sql) => (T)(await QueryAsync(dbPath, sql))[0][0]!;
}
