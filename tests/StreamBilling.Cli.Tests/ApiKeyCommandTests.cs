using StreamBilling.Storage.ApiKeys;
using static StreamBilling.Cli.Tests.CliRun;

namespace StreamBilling.Cli.Tests;

/// <summary>`streambilling apikey` run in-process on a temporary key file.</summary>
public sealed class ApiKeyCommandTests
{
    [Fact]
    public async Task CreateListRevoke_TheKeyIsPrintedOnce_AndStopsWorkingWhenRevoked()
    {
        using var work = new TempFolder();
        var file = Path.Combine(work.Path, "keys.json");

        var (created, key, _) = await RunAsync("apikey", "create", "--customer", "CUST0001", "--name", "alice", "--key-file", file);
        key = key.Trim();
        var record = new ApiKeyFile(file).Verify(key);
        var (_, listed, _) = await RunAsync("apikey", "list", "--key-file", file);
        var (revoked, _, _) = await RunAsync("apikey", "revoke", record!.Id, "--key-file", file);

        Assert.Equal((0, 0), (created, revoked));
        Assert.Equal(("CUST0001", ApiKeyRole.Customer), (record.AccountId, record.Role));
        Assert.Contains($"{record.Id}  customer CUST0001  'alice'", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.Null(new ApiKeyFile(file).Verify(key));
    }

    [Theory]
    [InlineData("apikey", "create")]
    [InlineData("apikey", "create", "--operator", "--customer", "CUST1")]
    [InlineData("apikey", "create", "--customer", "")]
    public async Task Create_WithoutExactlyOneOwner_Exits2AndWritesNothing(params string[] args)
    {
        using var work = new TempFolder();
        var file = Path.Combine(work.Path, "keys.json");

        var (exitCode, output, error) = await RunAsync([.. args, "--key-file", file]);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.NotEmpty(error);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Revoke_UnknownId_Exits1()
    {
        using var work = new TempFolder();

        var (exitCode, _, error) = await RunAsync("apikey", "revoke", "nope", "--key-file", Path.Combine(work.Path, "keys.json"));

        Assert.Equal(1, exitCode);
        Assert.Contains("No key with id 'nope'", error, StringComparison.Ordinal);
    }
}
