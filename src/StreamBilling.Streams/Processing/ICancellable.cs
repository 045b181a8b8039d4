namespace StreamBilling.Streams;

/// <summary>Handle of a scheduled punctuator.</summary>
public interface ICancellable
{
    /// <summary>Stops future calls; safe to call more than once, also from inside the callback.</summary>
    void Cancel();
}
