namespace StreamBilling.Pipeline.Hosting;

/// <summary>
/// A hosted consumer loop of the pipeline outside the stream applications (a store sink, the CdnController), which
/// readiness checks watch: it runs from the host's start until the host stops.
/// </summary>
public interface IConsumerLoop
{
    /// <summary>Names the loop in health reports.</summary>
    string Name { get; }

    /// <summary>The loop's task (<see cref="Microsoft.Extensions.Hosting.BackgroundService.ExecuteTask"/>): null before the host started it, completed once it ended.</summary>
    Task? ExecuteTask { get; }
}
