using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// Bad input never gives a 5xx: every endpoint of the real host (enumerated from its <see cref="EndpointDataSource"/>,
/// so a new one is covered without touching this test) gets nasty route values, query values, bodies, methods and
/// content types, as a customer, as an operator and unauthenticated. Every answer is below 500, and every 4xx is
/// <c>application/problem+json</c>. Values: a fixed list of known-nasty inputs plus random ones from a seeded generator
/// (<c>FUZZ_SEED</c> overrides the seed); a failure prints the seed and the requests.
/// In a TestServer, requests reach the application that Kestrel would refuse first with its own empty-bodied answers
/// (a <c>%00</c> in the path: 400; a request line over 64 kB: 414; headers over its limits: 431; see
/// <c>ProblemResponses</c> and <c>ErrorResponseTests</c>, which cover those on Kestrel): here the application must
/// answer them properly too.
/// </summary>
[Collection(OperatedHostTests.Name)]
public sealed partial class ApiFuzzTests(OperatedHost host)
{
    private const int DefaultSeed = 20261204;
    private const int RandomValuesPerParameter = 12;

    /// <summary>Inputs known to break parsers, routers, SQL and file paths.</summary>
    private static readonly string[] Nasty =
    [
        "../", "../../etc/passwd", "..%2f..%2f", "%2e%2e%2f", "%2e%2e/%2e%2e/", "..\\..\\", "%00", "a%00b", "\0", "%", "%%", "%zz",
        "' OR 1=1 --", "\"; DROP TABLE invoices; --", "1; SELECT pg_sleep(10)", "*", "?", "#", "&", "=", ";", "{}", "[]", "null", "undefined",
        "NaN", "-1", "0", "99999999999999999999", "1e309", "2024-13", "2024-00", "0000-01", "9999-99", "2024-1", "24-01", "2024-02-30",
        "2024-W99", "1970-01-01T00:00:00Z", "-0001-01-01", "2024/09", " ", "\t", "\r\n", "é", "Ω", "😀", "\u202e", "\uFEFF", "𝔘𝔫𝔦",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "CUST0002", new string('A', 10_240), new string('9', 1000),
    ];

    private static readonly HttpMethod[] AllMethods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Options];

    [Fact]
    public async Task Fuzz_EveryEndpoint_NoServerError_EveryClientErrorIsProblemJson()
    {
        var ct = TestContext.Current.CancellationToken;
        var seed = int.TryParse(System.Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var random = new Random(seed);
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/metrics");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/health/ready");

        using var client = host.CreateClient();
        var callers = new (string Name, Action<HttpRequestMessage> Apply)[]
        {
            ("unauthenticated", _ => { }),
            ("customer", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Customer.Key)),
            ("operator", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.OperatorKey)),
            ("customer with another X-Customer-Id", r =>
            {
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Customer.Key);
                r.Headers.TryAddWithoutValidation("X-Customer-Id", "CUST0002");
            }),
        };

        var failures = new List<string>();
        var sent = 0;
        var refusedBeforeTheApplication = 0;
        var watch = Stopwatch.StartNew();
        foreach (var endpoint in endpoints)
        {
            foreach (var request in Requests(endpoint, random))
            {
                foreach (var (caller, apply) in callers)
                {
                    using var message = request.Build();
                    apply(message);
                    HttpResponseMessage response;
                    try
                    {
                        response = await client.SendAsync(message, ct);
                    }
                    catch (InvalidOperationException e) when (PathHasNul(request.Url) && e.Message.Contains("null characters", StringComparison.Ordinal))
                    {
                        // Decoded before any application code, as Kestrel does (which answers 400 with an empty body).
                        refusedBeforeTheApplication++;
                        continue;
                    }

                    using var disposeResponse = response;
                    sent++;
                    var status = (int)response.StatusCode;
                    var type = response.Content.Headers.ContentType?.MediaType;
                    var problem = status >= 500
                        ? "server error"
                        : status >= 400 && type != "application/problem+json"
                            ? $"client error as {type ?? "no content type"}"
                            : null;
                    if (problem is not null && failures.Count < 25)
                    {
                        var body = await response.Content.ReadAsStringAsync(ct);
                        failures.Add($"{problem}: {request} as {caller} → {status} {type}: {Shorten(body)}");
                    }
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"Fuzz seed {seed}: {sent} requests to {endpoints.Count} endpoints in {watch.Elapsed.TotalSeconds:F1} s ({refusedBeforeTheApplication} more with %00 in the path, refused by the server before the application)");
        Assert.True(failures.Count == 0, $"Fuzz seed {seed} (rerun with FUZZ_SEED={seed}), {sent} requests:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, failures)}");
        Assert.True(sent > 1000, $"only {sent} requests");
    }

    /// <summary>The requests for one endpoint: each route value and query value nasty in turn (the others valid), wrong methods, and bodies.</summary>
    private IEnumerable<FuzzRequest> Requests(RouteEndpoint endpoint, Random random)
    {
        var template = endpoint.RoutePattern.RawText!;
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
        var queryNames = QueryParameters(endpoint, routeNames);
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Select(m => new HttpMethod(m)).ToList() ?? [HttpMethod.Get];
        var valid = routeNames.Concat(queryNames).ToDictionary(n => n, ValidValue, StringComparer.Ordinal);
        var method = methods[0];

        foreach (var name in routeNames.Concat(queryNames))
        {
            foreach (var value in Nasty.Concat(RandomValues(random)))
            {
                var values = new Dictionary<string, string>(valid, StringComparer.Ordinal) { [name] = value };
                // Route values go in as typed ('../' stays a path segment, '%2e' stays encoded) and also escaped.
                yield return new FuzzRequest(method, Url(template, routeNames, queryNames, values, escapeRoute: !routeNames.Contains(name)), Body: null, ContentType: null);
                if (routeNames.Contains(name))
                {
                    yield return new FuzzRequest(method, Url(template, routeNames, queryNames, values, escapeRoute: true), Body: null, ContentType: null);
                }
            }
        }

        var url = Url(template, routeNames, queryNames, valid, escapeRoute: true);
        foreach (var other in AllMethods.Where(m => !methods.Contains(m)))
        {
            yield return new FuzzRequest(other, url, Body: null, ContentType: null);
        }

        foreach (var bodyMethod in methods.Where(m => m != HttpMethod.Get && m != HttpMethod.Head).DefaultIfEmpty(HttpMethod.Post))
        {
            foreach (var (body, contentType) in Bodies(random))
            {
                yield return new FuzzRequest(bodyMethod, url, body, contentType);
            }
        }
    }

    private static IEnumerable<(string Body, string ContentType)> Bodies(Random random)
    {
        yield return ("{", "application/json");
        yield return ("", "application/json");
        yield return ("null", "application/json");
        yield return ("[]", "application/json");
        yield return ("{\"reason\": 42}", "application/json");
        yield return ("{\"reason\": \"" + new string('x', 100_000) + "\"}", "application/json");
        yield return ("{\"reason\": \"" + new string('x', 2 * 1024 * 1024) + "\"}", "application/json");
        yield return (new string('[', 10_000), "application/json");
        yield return ("{\"reason\": \"\\u0000 ' OR 1=1 --\"}", "application/json");
        yield return ("reason=x", "application/x-www-form-urlencoded");
        yield return ("{\"reason\": \"ok\"}", "text/plain");
        yield return ("<reason>x</reason>", "application/xml");
        yield return ("{\"reason\": \"ok\"}", "application/json; charset=utf-32");
        foreach (var value in RandomValues(random).Take(4))
        {
            yield return (value, "application/json");
        }
    }

    /// <summary>Names the handler takes from the query string: simple-typed parameters that are not route values.</summary>
    private static List<string> QueryParameters(RouteEndpoint endpoint, List<string> routeNames)
    {
        var method = endpoint.Metadata.GetMetadata<MethodInfo>();
        if (method is null)
        {
            return [];
        }

        return [.. method.GetParameters()
            .Where(p => p.GetCustomAttribute<FromBodyAttribute>() is null && p.GetCustomAttribute<FromServicesAttribute>() is null)
            .Where(p => IsSimple(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
            .Select(p => p.GetCustomAttribute<FromQueryAttribute>()?.Name ?? p.Name!)
            .Where(n => !routeNames.Contains(n, StringComparer.OrdinalIgnoreCase))];
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);

    private string ValidValue(string name) => name.ToUpperInvariant() switch
    {
        "CUSTOMERID" or "ID" or "ACCOUNTID" => host.Customer.CustomerId,
        "MONTH" => "2024-09",
        "FROM" => "2024-09-01",
        "TO" => "2024-10-01",
        "SERVICE" => "Ec2",
        _ => "x",
    };

    private static IEnumerable<string> RandomValues(Random random)
    {
        const string pool = "abcXYZ0189-_.~/\\%?#&=+;:,'\"<>{}[]()|!@$^* \t\r\n\0éΩ中😀\u202e\uFEFF";
        var elements = StringInfoElements(pool);
        for (var i = 0; i < RandomValuesPerParameter; i++)
        {
            var length = random.Next(4) == 0 ? random.Next(1000, 12_000) : random.Next(1, 40);
            var builder = new StringBuilder(length);
            for (var c = 0; c < length; c++)
            {
                builder.Append(elements[random.Next(elements.Count)]);
            }

            yield return builder.ToString();
        }
    }

    private static List<string> StringInfoElements(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return elements;
    }

    private static string Url(string template, List<string> routeNames, List<string> queryNames, Dictionary<string, string> values, bool escapeRoute)
    {
        var path = RouteParameter().Replace(template, m =>
        {
            var value = values[m.Groups["name"].Value];
            return escapeRoute ? Uri.EscapeDataString(value) : RawPathValue(value);
        });
        var query = string.Join('&', queryNames.Select(n => $"{n}={Uri.EscapeDataString(values[n])}"));
        return query.Length == 0 ? path : path + "?" + query;
    }

    /// <summary>A value put into the path as typed, except what cannot be in a request line at all (controls, spaces, '#', '?').</summary>
    private static string RawPathValue(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) || c is ' ' or '#' or '?' || c > 127 ? Uri.EscapeDataString(c.ToString()) : c.ToString()));

    private static bool PathHasNul(string url) => url.Split('?')[0].Contains("%00", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"\{(?<name>[^}:=?*]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    /// <summary>One request to send (again for each caller).</summary>
    private sealed record FuzzRequest(HttpMethod Method, string Url, string? Body, string? ContentType)
    {
        public HttpRequestMessage Build()
        {
            var message = new HttpRequestMessage(Method, new Uri(Url, UriKind.Relative));
            if (Body is not null)
            {
                message.Content = new StringContent(Body);
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType!);
            }

            return message;
        }

        public override string ToString() =>
            $"{Method} {(Url.Length > 200 ? Url[..200] + $"… ({Url.Length} chars)" : Url)}" + (Body is null ? string.Empty : $" with {Body.Length} chars of {ContentType}: {Shorten(Body)}");
    }
}
