using Microsoft.Extensions.Options;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// Validates settings by building what they configure (the topology's options validate themselves), so the rules live in
/// one place and a bad value stops the host at start with the section and the reason.
/// </summary>
internal sealed class SettingsValidator<TSettings>(string section, Action<TSettings> build) : IValidateOptions<TSettings>
    where TSettings : class
{
    public ValidateOptionsResult Validate(string? name, TSettings options)
    {
        try
        {
            build(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{section}: {e.Message}");
        }
    }
}
