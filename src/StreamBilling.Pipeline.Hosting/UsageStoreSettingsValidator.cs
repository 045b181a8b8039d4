using Microsoft.Extensions.Options;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>Stops the host at start when <see cref="UsageStoreSettings"/> cannot name a store (unknown provider, missing path or connection string).</summary>
internal sealed class UsageStoreSettingsValidator : IValidateOptions<UsageStoreSettings>
{
    public ValidateOptionsResult Validate(string? name, UsageStoreSettings options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
