namespace StreamBilling.Billing;

/// <summary>A customer as listed in the customer file.</summary>
/// <param name="Id">The ID as given (bills print it without <c>-</c>).</param>
/// <param name="Name">The name printed on the bill.</param>
public sealed record Customer(string Id, string Name);
