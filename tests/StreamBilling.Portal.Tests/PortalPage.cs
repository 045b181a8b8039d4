using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace StreamBilling.Portal.Tests;

/// <summary>What a test does on the portal page: sign in, wait for it to be drawn, read fields and tables.</summary>
internal static class PortalPage
{
    /// <summary>Pastes <paramref name="key"/> into the sign-in form and waits until the page is drawn (ready or an error).</summary>
    public static async Task SignInAsync(this IPage page, string key)
    {
        await page.WaitForStateAsync("sign-in");
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#sign-in-form button[type=submit]");
        await page.WaitForStateAsync("ready", "error", "sign-in");
    }

    /// <summary>Waits until <c>body[data-state]</c> is one of <paramref name="states"/> (the portal sets it when done drawing).</summary>
    public static async Task WaitForStateAsync(this IPage page, params string[] states) =>
        await page.WaitForSelectorAsync(string.Join(", ", states.Select(s => $"body[data-state={s}]")));

    /// <summary>The text of the element with <c>data-testid</c> <paramref name="id"/>.</summary>
    public static async Task<string> TextAsync(this IPage page, string id) =>
        (await page.Locator($"[data-testid={id}]").TextContentAsync())?.Trim() ?? "";

    /// <summary>Whether the element with <c>data-testid</c> <paramref name="id"/> is shown.</summary>
    public static Task<bool> IsShownAsync(this IPage page, string id) => page.Locator($"[data-testid={id}]").IsVisibleAsync();

    /// <summary>The body rows of the table with <c>data-testid</c> <paramref name="id"/>, cell texts.</summary>
    public static async Task<string[][]> TableAsync(this IPage page, string id) =>
        await page.Locator($"[data-testid={id}]").EvaluateAsync<string[][]>(
            "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))");

    /// <summary>Saves a full-page screenshot as <c>test-results/&lt;name&gt;.png</c>.</summary>
    public static async Task ScreenshotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalFixture.ResultsDirectory, name + ".png"), FullPage = true });

    /// <summary>A number as the portal shows it (grouped, two to six decimals), from the API's JSON decimal.</summary>
    public static string Number(JsonElement value) => value.GetDecimal().ToString("#,##0.00####", CultureInfo.InvariantCulture);

    /// <summary>Money as the portal shows it, e.g. <c>USD 1,234.50</c>.</summary>
    public static string Money(JsonElement value, string currency) => currency + " " + Number(value);
}
