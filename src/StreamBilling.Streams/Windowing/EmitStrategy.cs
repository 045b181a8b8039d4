namespace StreamBilling.Streams;

/// <summary>When a windowed aggregation emits results.</summary>
public enum EmitStrategy
{
    /// <summary>Emit the updated aggregate after every record (same id per window: downstream upserts).</summary>
    OnUpdate,

    /// <summary>Emit each window exactly once, when stream time reaches window end plus grace.</summary>
    OnWindowClose,
}
