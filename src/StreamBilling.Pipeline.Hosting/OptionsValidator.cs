using Microsoft.Extensions.Options;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// Validates bound options with their own checks (<paramref name="validate"/> throws <see cref="ArgumentException"/>), so
/// the rules live in one place and a bad value stops the host at start with the section and the reason.
/// </summary>
/// <param name="section">The configuration section the options bind from, named in the failure.</param>
/// <param name="validate">The options' own checks, e.g. <c>o => o.Validate()</c>.</param>
/// <param name="instanceName">The named options instance this validates; null: the default instance.</param>
internal sealed class OptionsValidator<TOptions>(string section, Action<TOptions> validate, string? instanceName = null) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, instanceName ?? Options.DefaultName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{section}: {e.Message}");
        }
    }
}
