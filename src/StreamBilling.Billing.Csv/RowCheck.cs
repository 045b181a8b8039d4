namespace StreamBilling.Billing.Csv;

/// <summary>Collects every reason a row cannot be read, so one message lists them all.</summary>
internal sealed class RowCheck(List<InputError> errors)
{
    private readonly List<string> _reasons = [];

    public void Clear() => _reasons.Clear();

    public string Required(CsvTable t, int column, string name)
    {
        var text = t.Field(column);
        if (text.Length == 0)
        {
            _reasons.Add($"missing {name}");
        }

        return text;
    }

    public decimal Money(CsvTable t, int column, string name)
    {
        var text = Required(t, column, name);
        if (text.Length == 0)
        {
            return default;
        }

        if (CsvValues.TryParseMoney(text, out var value))
        {
            return value;
        }

        _reasons.Add($"{name} '{text}' is not an amount");
        return default;
    }

    public DateTimeOffset Timestamp(CsvTable t, int column, string name)
    {
        var text = Required(t, column, name);
        if (text.Length == 0)
        {
            return default;
        }

        if (CsvValues.TryParseTimestamp(text, out var value))
        {
            return value;
        }

        _reasons.Add($"{name} '{text}' is not a yyyy-MM-ddTHH:mm:ss timestamp");
        return default;
    }

    public DateOnly Date(CsvTable t, int column, string name)
    {
        var text = Required(t, column, name);
        if (text.Length == 0)
        {
            return default;
        }

        if (CsvValues.TryParseDate(text, out var value))
        {
            return value;
        }

        _reasons.Add($"{name} '{text}' is not a yyyy-MM-dd date");
        return default;
    }

    public InstanceOs Os(CsvTable t, int column)
    {
        var text = Required(t, column, "OS");
        if (text.Length == 0)
        {
            return default;
        }

        if (CsvValues.TryParseOs(text, out var value))
        {
            return value;
        }

        _reasons.Add($"OS '{text}' is neither Linux nor Windows");
        return default;
    }

    public bool YesNo(CsvTable t, int column, string name)
    {
        var text = Required(t, column, name);
        if (text.Length == 0)
        {
            return default;
        }

        if (CsvValues.TryParseYesNo(text, out var value))
        {
            return value;
        }

        _reasons.Add($"{name} '{text}' is neither Yes nor No");
        return default;
    }

    /// <summary>True when the row is good; otherwise records the row error with every reason.</summary>
    public bool Accept(CsvTable t, SourceFile source)
    {
        t.CheckRow(_reasons);
        if (_reasons.Count == 0)
        {
            source.Lines.Add(t.Line);
            return true;
        }

        errors.Add(new InputError(t.FileName, t.Line, string.Join("; ", _reasons), t.RawRow()));
        return false;
    }
}
