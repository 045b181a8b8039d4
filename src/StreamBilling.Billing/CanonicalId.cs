namespace StreamBilling.Billing;

/// <summary>The form in which customer and instance IDs are compared: case and <c>-</c> do not matter (<c>CUST-001</c> = <c>cust001</c>).</summary>
public static class CanonicalId
{
    /// <summary>Returns the key two IDs share when they name the same thing.</summary>
    public static string Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var needsWork = false;
        foreach (var c in id)
        {
            if (c == '-' || char.IsLower(c) || char.IsWhiteSpace(c))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return id;
        }

        return string.Create(CountKept(id), id, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (c != '-' && !char.IsWhiteSpace(c))
                {
                    span[i++] = char.ToUpperInvariant(c);
                }
            }
        });
    }

    /// <summary>The ID as printed on bills and in file names: as given, without <c>-</c>.</summary>
    public static string Display(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Trim().Replace("-", string.Empty, StringComparison.Ordinal);
    }

    private static int CountKept(string id)
    {
        var n = 0;
        foreach (var c in id)
        {
            if (c != '-' && !char.IsWhiteSpace(c))
            {
                n++;
            }
        }

        return n;
    }
}
