using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace StreamBilling.Cli.Commands.Chaos;

/// <summary>
/// What a running host's usage API answers, as an operator, about every simulated customer: the latest invoice of each
/// month it lists and the CDN status. Kept in a <see cref="ChaosSnapshot"/> so the store's comparison rules apply.
/// </summary>
internal static class ApiAnswers
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] StatusFields = ["distributionId", "status", "causeId", "reason"];

    /// <summary>Asks the API at <paramref name="api"/> with <paramref name="operatorKey"/>.</summary>
    public static async Task<ChaosSnapshot> ReadAsync(Uri api, string operatorKey, IReadOnlyList<string> customers, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = RequestTimeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        var snapshot = new ChaosSnapshot();
        foreach (var customer in customers)
        {
            var list = await GetAsync(http, $"v1/customers/{Uri.EscapeDataString(customer)}/invoices", cancellationToken)
                ?? throw new ChaosRunException($"the API at {api} answered 404 to the invoice list of {customer}");
            foreach (var item in list["invoices"]!.AsArray())
            {
                var month = (string)item!["billingMonth"]!;
                var invoice = await GetAsync(http, $"v1/customers/{Uri.EscapeDataString(customer)}/invoices/{month}", cancellationToken)
                    ?? throw new ChaosRunException($"the API at {api} lists {customer}/{month} but answers 404 for it");
                snapshot.Invoices[$"{customer}/{month}"] = invoice;
            }

            if (await GetAsync(http, $"v1/customers/{Uri.EscapeDataString(customer)}/cdn", cancellationToken) is { } status)
            {
                snapshot.CdnStatuses[customer] = string.Join(' ', StatusFields.Select(f => Convert.ToString(status[f], CultureInfo.InvariantCulture)));
            }
        }

        return snapshot;
    }

    /// <summary>The JSON body of a 200, null for a 404; anything else ends the run.</summary>
    private static async Task<JsonObject?> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ChaosRunException($"GET {http.BaseAddress}{path} answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }
}
