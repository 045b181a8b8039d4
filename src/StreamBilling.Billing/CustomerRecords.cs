namespace StreamBilling.Billing;

/// <summary>One customer and the indexes of its valid records.</summary>
internal sealed class CustomerRecords(string displayId, string name)
{
    public string DisplayId { get; } = displayId;

    public string Name { get; } = name;

    public List<int> Usage { get; } = [];

    public List<int> Reserved { get; } = [];

    public List<int> Allocations { get; } = [];
}
