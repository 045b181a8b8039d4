using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Schema = Confluent.SchemaRegistry.Schema;

namespace StreamBilling.Kafka;

/// <summary>
/// The loopback HTTP endpoint of a <c>streambilling broker</c> process. It serves what the mock cluster cannot:
/// topic creation for clients in other processes (<c>POST /v1/topics</c>, through the mock's C API as the in-process
/// provisioner does), the broker's capabilities (<c>GET /v1/broker</c>), and the Schema Registry REST API subset the
/// Confluent client uses (register, look up, get by id, versions, compatibility, config) over one
/// <see cref="InMemorySchemaRegistryClient"/>, so every process sharing the broker gets the same schema ids.
/// </summary>
internal sealed class EmbeddedBrokerServer : IDisposable
{
    private const string RegistryContentType = "application/vnd.schemaregistry.v1+json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EmbeddedKafkaCluster _cluster;
    private readonly InMemorySchemaRegistryClient _registry;
    private readonly HttpListener _listener;
    private readonly Task _loop;

    private EmbeddedBrokerServer(EmbeddedKafkaCluster cluster, InMemorySchemaRegistryClient registry, HttpListener listener, string url)
    {
        _cluster = cluster;
        _registry = registry;
        _listener = listener;
        Url = url;
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Base URL, <c>http://127.0.0.1:port</c>, of both the control endpoint and the Schema Registry API.</summary>
    public string Url { get; }

    /// <summary>What clients learn about the broker.</summary>
    public EmbeddedBrokerDescriptor Descriptor => new()
    {
        BootstrapServers = _cluster.BootstrapServers,
        ControlUrl = Url,
        SchemaRegistryUrl = Url,
    };

    /// <summary>Starts listening on a free loopback port.</summary>
    public static EmbeddedBrokerServer Start(EmbeddedKafkaCluster cluster, InMemorySchemaRegistryClient registry)
    {
        // HttpListener cannot bind port 0; take a free port from the OS and retry if another process wins the race.
        for (var attempt = 1; ; attempt++)
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreeLoopbackPort()}");
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return new EmbeddedBrokerServer(cluster, registry, listener, url);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
            // The listener was closed under a pending accept: the way the loop ends.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        int status;
        JsonNode? body;
        try
        {
            var path = request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            var content = request.HasEntityBody ? await ReadBodyAsync(request).ConfigureAwait(false) : null;
            (status, body) = await RouteAsync(request.HttpMethod, path, content, request.QueryString).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e)
        {
            (status, body) = Error((int)e.Status, e.ErrorCode, e.Message);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or ArgumentException or Avro.AvroException or NotSupportedException)
        {
            (status, body) = Error(422, 42201, e.Message);
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            (status, body) = Error(500, 50001, e.Message);
        }

        try
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = RegistryContentType;
            var bytes = Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null");
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away or the server is stopping: nobody is left to answer.
        }
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task<(int Status, JsonNode? Body)> RouteAsync(string method, string[] path, JsonNode? content, System.Collections.Specialized.NameValueCollection query)
    {
        switch (method, path)
        {
            case ("GET", ["v1", "broker"]):
                return Ok(JsonSerializer.SerializeToNode(Descriptor, Json));
            case ("POST", ["v1", "topics"]):
                return Ok(CreateTopics(content));
            case ("GET", ["subjects"]):
                return Ok(JsonSerializer.SerializeToNode(await _registry.GetAllSubjectsAsync().ConfigureAwait(false)));
            case ("POST", ["subjects", var subject]):
                return Ok(Registered(await _registry.LookupSchemaAsync(subject, SchemaOf(content), ignoreDeletedSchemas: true).ConfigureAwait(false)));
            case ("GET", ["subjects", var subject, "versions"]):
                var versions = await _registry.GetSubjectVersionsAsync(subject).ConfigureAwait(false);
                return versions.Count == 0 ? Error(404, 40401, $"Subject '{subject}' not found.") : Ok(JsonSerializer.SerializeToNode(versions));
            case ("POST", ["subjects", var subject, "versions"]):
                var registered = await _registry.RegisterSchemaWithResponseAsync(subject, SchemaOf(content)).ConfigureAwait(false);
                return Ok(Registered(registered));
            case ("GET", ["subjects", var subject, "versions", var version]):
                return Ok(Registered(await _registry.GetRegisteredSchemaAsync(subject, VersionOf(version)).ConfigureAwait(false)));
            case ("GET", ["schemas", "ids", var id]):
                var schema = await _registry.GetSchemaAsync(int.Parse(id, CultureInfo.InvariantCulture)).ConfigureAwait(false);
                return Ok(new JsonObject { ["schema"] = schema.SchemaString });
            case ("POST", ["compatibility", "subjects", var subject, "versions", _]):
                var problems = _registry.GetCompatibilityProblems(subject, SchemaOf(content));
                var answer = new JsonObject { ["is_compatible"] = problems.Count == 0 };
                if (problems.Count > 0 && string.Equals(query["verbose"], "true", StringComparison.OrdinalIgnoreCase))
                {
                    answer["messages"] = JsonSerializer.SerializeToNode(problems);
                }

                return Ok(answer);
            case ("GET", ["config", ..]):
                var level = await _registry.GetCompatibilityAsync(path.Length > 1 ? path[1] : null!).ConfigureAwait(false);
                return Ok(new JsonObject { ["compatibilityLevel"] = LevelName(level) });
            case ("PUT", ["config", ..]):
                var requested = LevelOf(content?["compatibility"]?.GetValue<string>() ?? throw new InvalidDataException("The body has no \"compatibility\"."));
                await _registry.UpdateCompatibilityAsync(requested, path.Length > 1 ? path[1] : null!).ConfigureAwait(false);
                return Ok(new JsonObject { ["compatibility"] = LevelName(requested) });
            default:
                return Error(404, 404, $"No endpoint {method} /{string.Join('/', path)} on the embedded broker.");
        }
    }

    private JsonObject CreateTopics(JsonNode? content)
    {
        var requested = content?.Deserialize<List<TopicRequest>>(Json) ?? throw new InvalidDataException("The body is not a list of topics.");
        var created = new JsonArray();
        var existing = new JsonArray();
        foreach (var topic in requested)
        {
            var isNew = _cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor ?? 1);
            (isNew ? created : existing).Add(topic.Name);
        }

        return new JsonObject { ["created"] = created, ["existing"] = existing };
    }

    private static Schema SchemaOf(JsonNode? content)
    {
        var text = content?["schema"]?.GetValue<string>() ?? throw new InvalidDataException("The body has no \"schema\".");
        var type = content["schemaType"]?.GetValue<string>() ?? "AVRO";
        return type == "AVRO"
            ? new Schema(text, SchemaType.Avro)
            : throw new NotSupportedException($"Schema type {type} is not supported by the embedded broker's registry (Avro only).");
    }

    private static int VersionOf(string version) => version == "latest" ? -1 : int.Parse(version, CultureInfo.InvariantCulture);

    private static JsonObject Registered(RegisteredSchema schema) => new()
    {
        ["subject"] = schema.Subject,
        ["version"] = schema.Version,
        ["id"] = schema.Id,
        ["schema"] = schema.SchemaString,
    };

    /// <summary>Confluent's wire name of a level: <c>BackwardTransitive</c> is <c>BACKWARD_TRANSITIVE</c>.</summary>
    private static string LevelName(Compatibility level) => level switch
    {
        Compatibility.BackwardTransitive => "BACKWARD_TRANSITIVE",
        Compatibility.ForwardTransitive => "FORWARD_TRANSITIVE",
        Compatibility.FullTransitive => "FULL_TRANSITIVE",
        _ => level.ToString().ToUpperInvariant(),
    };

    private static Compatibility LevelOf(string name) =>
        Enum.GetValues<Compatibility>().FirstOrDefault(l => LevelName(l) == name, (Compatibility)(-1)) is var level && Enum.IsDefined(level)
            ? level
            : throw new InvalidDataException($"Unknown compatibility level '{name}'.");

    private static (int, JsonNode?) Ok(JsonNode? body) => (200, body);

    private static (int, JsonNode?) Error(int status, int code, string message) =>
        (status, new JsonObject { ["error_code"] = code, ["message"] = message });

    private sealed record TopicRequest(string Name, int Partitions, int? ReplicationFactor);
}
