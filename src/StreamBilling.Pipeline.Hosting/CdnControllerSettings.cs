using StreamBilling.Pipeline.Cdn;

namespace StreamBilling.Pipeline.Hosting;

/// <summary>The CdnController's consumer loop in the host (section <c>Pipeline:CdnController</c>).</summary>
public sealed class CdnControllerSettings
{
    /// <summary>Configuration section the settings bind from.</summary>
    public const string SectionName = "Pipeline:CdnController";

    /// <summary>Whether this process runs the controller.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consumer group reading <c>cdn.caps</c>.</summary>
    public string GroupId { get; set; } = CdnControllerService.GroupId;
}
