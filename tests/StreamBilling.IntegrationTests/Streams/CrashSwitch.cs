using StreamBilling.Streams.Kafka;

namespace StreamBilling.IntegrationTests.Streams;

/// <summary>
/// Crash points a test arms while applications run: the stream thread of the armed application (of any when none is
/// named) dies at the armed point, as a process killed there would.
/// </summary>
internal sealed class CrashSwitch : ICrashPoints
{
    private volatile CrashPoint _armed;
    private volatile string? _applicationId;

    /// <summary>Makes the thread of <paramref name="applicationId"/> (of any application when null) die when it next reaches <paramref name="point"/>.</summary>
    public void Arm(CrashPoint point, string? applicationId = null)
    {
        _applicationId = applicationId;
        _armed = point;
    }

    /// <summary>Stops <paramref name="instance"/> as a killed process would: nothing committed, the group not left.</summary>
    public async Task KillAsync(KafkaStreams instance)
    {
        Arm(CrashPoint.OnStop);
        await instance.StopAsync();
    }

    public bool DiesAt(string application, CrashPoint point) =>
        point != CrashPoint.None && point == _armed && (_applicationId is not { } armed || armed == application);
}
