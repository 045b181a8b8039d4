using System.Diagnostics;
using System.Reflection;
using StreamBilling.Contracts.Tests;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace StreamBilling.IntegrationTests.Operations;

/// <summary>
/// <c>docker-compose.kafka.yml</c> checked without Docker: dependencies exist and are health-checked, files it mounts
/// exist, every setting it gives the host is one the host reads, two host replicas with distinct instance ids share
/// one store; and <c>docker compose config</c> accepts it where Docker Compose is installed (skipped otherwise).
/// </summary>
public sealed class ComposeFileTests
{
    private static string ComposePath => Path.Combine(RepositoryPaths.Root, "docker-compose.kafka.yml");

    private static Dictionary<string, Dictionary<object, object>> Services
    {
        get
        {
            var root = Load();
            return ((Dictionary<object, object>)root["services"]).ToDictionary(s => (string)s.Key, s => (Dictionary<object, object>)s.Value, StringComparer.Ordinal);
        }
    }

    [Fact]
    public void DependsOn_EveryTargetExists_HealthyConditionsHaveHealthchecks_HostsWaitForHealthyKafkaRegistryAndStore()
    {
        var services = Services;
        foreach (var (name, service) in services)
        {
            foreach (var (target, condition) in DependsOn(service))
            {
                Assert.True(services.ContainsKey(target), $"{name} depends on {target}, which is not a service");
                if (condition == "service_healthy")
                {
                    Assert.True(services[target].ContainsKey("healthcheck"), $"{name} waits for {target} to be healthy, but it has no healthcheck");
                }
            }
        }

        foreach (var host in Hosts(services))
        {
            var conditions = DependsOn(host.Value);
            foreach (var dependency in new[] { "kafka", "schema-registry", "postgres" })
            {
                Assert.Equal("service_healthy", conditions.GetValueOrDefault(dependency));
            }
        }

        Assert.All(services, s => Assert.True(s.Value.ContainsKey("restart"), $"{s.Key} has no restart policy"));
    }

    [Fact]
    public void Volumes_BindMountsExistInTheRepository_NamedVolumesAreDeclared_BrokerAndStoreKeepData()
    {
        var root = Load();
        var declared = ((Dictionary<object, object>)root["volumes"]).Keys.Cast<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (name, service) in Services)
        {
            foreach (var volume in Volumes(service))
            {
                var source = volume.Split(':')[0];
                if (source.StartsWith('.'))
                {
                    var path = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, source));
                    Assert.True(File.Exists(path) || Directory.Exists(path), $"{name} mounts {source}, which is not in the repository");
                }
                else
                {
                    Assert.Contains(source, declared);
                }
            }
        }

        Assert.Contains(Volumes(Services["kafka"]), v => v.StartsWith("kafka-data:", StringComparison.Ordinal));
        Assert.Contains(Volumes(Services["postgres"]), v => v.StartsWith("postgres-data:", StringComparison.Ordinal));
        foreach (var build in Services.Values.Select(s => s.GetValueOrDefault("build")).OfType<Dictionary<object, object>>())
        {
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, (string)build["dockerfile"])));
        }

        var ignored = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    [Fact]
    public void Hosts_TwoReplicas_DistinctInstanceIds_OneSharedPostgresStore_EverySettingIsOneTheHostReads()
    {
        var hosts = Hosts(Services).ToList();
        Assert.Equal(2, hosts.Count);
        var environments = hosts.Select(h => Environment(h.Value)).ToList();
        Assert.Equal(2, environments.Select(e => e["Streams__InstanceId"]).Distinct(StringComparer.Ordinal).Count());
        Assert.All(environments, e => Assert.Equal("Postgres", e["Storage__Provider"]));
        Assert.Single(environments.Select(e => e["Storage__ConnectionString"]).Distinct(StringComparer.Ordinal));
        Assert.Single(environments, e => e.GetValueOrDefault("Simulator__Enabled") == "true");

        var sections = OptionsSections();
        foreach (var key in environments.SelectMany(e => e.Keys).Where(k => k.Contains("__", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            var path = key.Split("__");
            var section = Enumerable.Range(1, path.Length - 1).Select(n => string.Join(':', path[..n])).LastOrDefault(sections.ContainsKey);
            Assert.True(section is not null, $"{key}: no options type of the host binds section {path[0]}");
            var property = path[section.Split(':').Length];
            Assert.True(sections[section].GetProperty(property) is not null, $"{key}: {sections[section].Name} has no property {property}");
        }
    }

    [Fact]
    public async Task DockerComposeConfig_AcceptsTheFile_WhereDockerComposeIsInstalled()
    {
        var docker = (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "docker")).FirstOrDefault(File.Exists);
        var (versionExit, _) = docker is null ? (-1, string.Empty) : await RunAsync(docker, "compose", "version");
        Assert.SkipWhen(versionExit != 0, "docker compose is not installed here; the YAML and reference checks of this class ran instead.");

        var (exit, errors) = await RunAsync(docker!, "compose", "-f", ComposePath, "config", "--quiet");

        Assert.True(exit == 0, errors);
    }

    private static async Task<(int ExitCode, string Errors)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await output;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, errors);
    }

    private static Dictionary<object, object> Load()
    {
        using var reader = new StringReader(File.ReadAllText(ComposePath));

        // Merge keys (<<: *anchor) as compose applies them.
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static IEnumerable<KeyValuePair<string, Dictionary<object, object>>> Hosts(Dictionary<string, Dictionary<object, object>> services) =>
        services.Where(s => s.Value.GetValueOrDefault("build") is Dictionary<object, object> build && ((string)build["dockerfile"]).EndsWith("Host.Dockerfile", StringComparison.Ordinal));

    private static Dictionary<string, string> DependsOn(Dictionary<object, object> service) => service.GetValueOrDefault("depends_on") switch
    {
        Dictionary<object, object> map => map.ToDictionary(
            d => (string)d.Key,
            d => d.Value is Dictionary<object, object> options && options.TryGetValue("condition", out var c) ? (string)c : "service_started",
            StringComparer.Ordinal),
        List<object> list => list.ToDictionary(d => (string)d, _ => "service_started", StringComparer.Ordinal),
        _ => [],
    };

    private static List<string> Volumes(Dictionary<object, object> service) =>
        service.GetValueOrDefault("volumes") is List<object> volumes ? [.. volumes.Cast<string>()] : [];

    private static Dictionary<string, string> Environment(Dictionary<object, object> service) =>
        ((Dictionary<object, object>)service["environment"]).ToDictionary(e => (string)e.Key, e => (string)e.Value, StringComparer.Ordinal);

    /// <summary>Every options type of the host's assemblies, by the configuration section it binds (its <c>SectionName</c>).</summary>
    private static Dictionary<string, Type> OptionsSections()
    {
        var assemblies = new[] { typeof(Program), typeof(StreamBilling.Kafka.KafkaOptions), typeof(StreamBilling.Pipeline.Hosting.StreamsHostSettings), typeof(StreamBilling.Api.Access.ApiAccessOptions) }
            .Select(t => t.Assembly)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("StreamBilling.", StringComparison.Ordinal) == true))
            .Distinct();
        var sections = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetValue(null) is string name)
            {
                sections.TryAdd(name, type);
            }
        }

        return sections;
    }
}
