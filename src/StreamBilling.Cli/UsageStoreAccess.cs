using StreamBilling.Storage;

namespace StreamBilling.Cli;

/// <summary>Opens the usage store for a command, turning "held by another process", "cannot be reached" and "schema too new" into a plain message.</summary>
internal static class UsageStoreAccess
{
    /// <summary>The opened store, or null after writing why it could not be opened to <paramref name="error"/>.</summary>
    public static async Task<IUsageStore?> TryOpenAsync(UsageStoreChoice choice, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await UsageStores.OpenAsync(choice.Provider, choice.DuckDbPath, choice.ConnectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsageStoreLockedException or UsageStoreUnavailableException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return null;
        }
        catch (UsageStoreSchemaException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return null;
        }
    }
}
