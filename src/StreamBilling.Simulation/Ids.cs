namespace StreamBilling.Simulation;

/// <summary>Random identifiers in AWS-like shapes, drawn from the simulation's seeded random source.</summary>
internal static class Ids
{
    internal const string HexDigits = "0123456789abcdef";
    internal const string UpperAlphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Hex(Random random, int length) => Draw(random, HexDigits, length);

    public static string Upper(Random random, int length) => Draw(random, UpperAlphanumerics, length);

    private static string Draw(Random random, string alphabet, int length) =>
        string.Create(length, (random, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });
}
