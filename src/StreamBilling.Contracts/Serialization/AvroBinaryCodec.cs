namespace StreamBilling.Contracts.Serialization;

/// <summary>Finds the generated Avro binary code of a record class, when the generator emitted it.</summary>
public static class AvroBinaryCodec
{
    /// <summary>
    /// The codec of <typeparamref name="T"/>, or <see langword="null"/> when the class has no generated code (a hand-written
    /// record, or a schema using a construct the generator does not cover). Looked up once per type.
    /// </summary>
    public static IAvroBinaryCodec<T>? For<T>() => CodecCache<T>.Codec;

    private static IAvroBinaryCodec<T>? Create<T>()
    {
        // Reflection once per type: T is not constrained to IAvroBinaryRecord<T> at the caller, so the closed codec type is
        // built at run time; every call after that is an interface call into the generated code.
        var implementsRecord = typeof(T).GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAvroBinaryRecord<>) && i.GenericTypeArguments[0] == typeof(T));
        return implementsRecord
            ? (IAvroBinaryCodec<T>)Activator.CreateInstance(typeof(GeneratedAvroBinaryCodec<>).MakeGenericType(typeof(T)))!
            : null;
    }

    private static class CodecCache<T>
    {
        public static readonly IAvroBinaryCodec<T>? Codec = Create<T>();
    }
}
