using System.CommandLine;
using System.Globalization;
using StreamBilling.Storage.ApiKeys;

namespace StreamBilling.Cli.Commands;

/// <summary><c>streambilling apikey create|list|revoke</c>: the usage API's keys (hashed in the key file the host reads).</summary>
internal sealed class ApiKeyCommand : ICliCommand
{
    public Command Create()
    {
        var file = new Option<string>("--key-file") { Description = "The key file the host reads (Api:Access:KeyFile).", DefaultValueFactory = _ => ApiKeyFile.DefaultPath };
        var customer = new Option<string?>("--customer") { Description = "Account the key reads (a customer key)." };
        var isOperator = new Option<bool>("--operator") { Description = "An operator key: every account, and CDN re-enable." };
        var name = new Option<string>("--name") { Description = "Who the key is for (shown in listings).", DefaultValueFactory = _ => string.Empty };
        var id = new Argument<string>("KEY_ID") { Description = "The key's id (from 'apikey list')." };

        var create = new Command("create", "Create a key and print it once (only its hash is stored).") { file, customer, isOperator, name };
        create.SetAction(pr => CreateKey(Io.Of(pr), pr.GetValue(file)!, pr.GetValue(customer), pr.GetValue(isOperator), pr.GetValue(name)!));
        var list = new Command("list", "List the keys (never their text).") { file };
        list.SetAction(pr => List(Io.Of(pr), pr.GetValue(file)!));
        var revoke = new Command("revoke", "Revoke a key; the API refuses it from the next request on.") { file, id };
        revoke.SetAction(pr => Revoke(Io.Of(pr), pr.GetValue(file)!, pr.GetValue(id)!));
        return new Command("apikey", "Manage the usage API's keys.") { create, list, revoke };
    }

    private static int CreateKey(Io io, string path, string? customer, bool isOperator, string name)
    {
        if (isOperator == (customer is not null))
        {
            io.Error.WriteLine("Give exactly one of --customer ACCOUNT and --operator.");
            return 2;
        }

        if (customer is not null && !ApiKeyFile.IsValidAccountId(customer))
        {
            io.Error.WriteLine($"--customer must be 1 to {ApiKeyFile.MaxAccountIdLength} printable characters.");
            return 2;
        }

        var issued = new ApiKeyFile(path).Create(isOperator ? ApiKeyRole.Operator : ApiKeyRole.Customer, customer, name);
        io.Error.WriteLine($"Created {Describe(issued.Record)} in {path}. The key is shown only now:");
        io.Output.WriteLine(issued.Key);
        return 0;
    }

    private static int List(Io io, string path)
    {
        var keys = new ApiKeyFile(path).List();
        foreach (var key in keys)
        {
            io.Output.WriteLine(Describe(key));
        }

        io.Error.WriteLine($"{keys.Count} key(s) in {path}");
        return 0;
    }

    private static int Revoke(Io io, string path, string id)
    {
        var keys = new ApiKeyFile(path);
        if (!keys.Revoke(id))
        {
            io.Error.WriteLine($"No key with id '{id}' in {path}.");
            return 1;
        }

        io.Output.WriteLine(Describe(keys.List().Single(k => k.Id == id)));
        return 0;
    }

    private static string Describe(ApiKeyRecord key) => string.Create(
        CultureInfo.InvariantCulture,
        $"{key.Id}  {(key.Role == ApiKeyRole.Operator ? "operator" : "customer " + key.AccountId)}  '{key.Name}'  created {key.CreatedAt:O}{(key.RevokedAt is { } at ? $"  revoked {at:O}" : string.Empty)}");

    /// <summary>Where the command writes: the invocation's writers (tests capture them).</summary>
    private sealed record Io(TextWriter Output, TextWriter Error)
    {
        public static Io Of(ParseResult pr) => new(pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error);
    }
}
