using StreamBilling.Billing.RateCards;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>Finds and loads the rate card file a setting names, reporting problems as <see cref="ArgumentException"/> so settings validation names the section.</summary>
internal static class RateCardFiles
{
    /// <summary>The default: the repository's rate card, also copied next to every assembly that references the pipeline.</summary>
    public const string DefaultPath = "infra/rate-card.json";

    /// <summary>
    /// The key, in a rated application's section (<c>Pipeline:Pricing</c>, <c>Pipeline:Invoices</c>), of the file the
    /// options' <c>RateCard</c> is loaded from: the one setting that is not bound onto the options as it is.
    /// </summary>
    public const string PathKey = "RateCardPath";

    /// <summary>
    /// Loads <paramref name="path"/>: absolute, else relative to the working directory, else relative to the application's
    /// base directory (where the build output holds <c>infra/rate-card.json</c>), so <c>dotnet run</c> from anywhere works.
    /// </summary>
    public static RateCard Load(string? path, string settingName)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{settingName} must name a rate card file.", settingName);
        }

        var resolved = Path.IsPathRooted(path) || File.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
        try
        {
            return RateCard.Load(resolved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RateCardException)
        {
            throw new ArgumentException($"{settingName} '{path}': {e.Message}", settingName, e);
        }
    }
}
