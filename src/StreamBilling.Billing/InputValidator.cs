using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing;

/// <summary>Applies the "never guess" rule: every record the bill rules cannot price is rejected with its reason.</summary>
internal static class InputValidator
{
    public static ValidatedInput Validate(BillInput input)
    {
        var issues = new List<InputIssue>();
        var customers = ValidateCustomers(input.Customers, issues);
        var validRates = new List<RateCardEntry>();
        var rates = ValidateRates(input.Rates, issues, validRates);
        var validFreeTier = new List<FreeTierEligibility>();
        var freeTier = input.FreeTier is null ? null : ValidateRegionRows(
            input.FreeTier, InputKind.FreeTier, r => r.Region, r => r.InstanceType, r => string.IsNullOrWhiteSpace(r.InstanceType) ? "missing Free Tier Eligible type" : null, issues, validFreeTier);
        var validEipRates = new List<ElasticIpRate>();
        var eipRates = ValidateRegionRows(
            input.ElasticIpRates, InputKind.ElasticIpRate, r => r.Region, r => r.RatePerHour, r => r.RatePerHour < 0 ? "negative rate" : null, issues, validEipRates);

        // Reservations first: an instance listed there must not also appear as on-demand usage.
        var reservedInstances = ValidateReserved(input.ReservedInstances, customers, rates, issues);
        var usageKeys = ValidateUsage(input.Usage, customers, rates, reservedInstances, issues);
        ValidateAllocations(input.ElasticIpAllocations, customers, eipRates, issues);
        var associations = ValidateAssociations(input.ElasticIpAssociations, issues);

        var ordered = new List<CustomerRecords>(customers.Values);
        ordered.Sort((a, b) => string.CompareOrdinal(a.DisplayId, b.DisplayId));
        return new ValidatedInput
        {
            Input = input,
            Customers = ordered,
            Rates = rates,

            // The valid rows as a one-version rate card: the batch prices through the stream's pricer.
            Pricer = new UsagePricer(RateCard.FromInstanceRates(validRates, input.FreeTier is null ? null : validFreeTier, validEipRates)),
            FreeTier = freeTier,
            ElasticIpRates = eipRates,
            AssociationsByIp = associations,
            UsageInstanceKeys = usageKeys.Instances,
            UsageRates = usageKeys.Rates,
            Issues = issues,
        };
    }

    private static Dictionary<string, CustomerRecords> ValidateCustomers(IReadOnlyList<Customer> rows, List<InputIssue> issues)
    {
        var seen = CountKeys(rows, r => CanonicalId.Of(r.Id));
        var customers = new Dictionary<string, CustomerRecords>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var key = CanonicalId.Of(row.Id);
            string? reason = key.Length == 0 ? "missing Customer ID"
                : string.IsNullOrWhiteSpace(row.Name) ? "missing Customer Name"
                : seen[key] > 1 ? $"customer {row.Id} is listed more than once" : null;
            if (reason is null)
            {
                customers.Add(key, new CustomerRecords(CanonicalId.Display(row.Id), row.Name.Trim()));
            }
            else
            {
                issues.Add(new InputIssue(InputKind.Customer, i, reason));
            }
        }

        return customers;
    }

    private static RateLookup ValidateRates(IReadOnlyList<RateCardEntry> rows, List<InputIssue> issues, List<RateCardEntry> valid)
    {
        var seen = CountKeys(rows, r => (r.InstanceType, r.Region));
        var lookup = new RateLookup();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string? reason = string.IsNullOrWhiteSpace(row.InstanceType) ? "missing Instance Type"
                : row.OnDemandRate < 0 || row.ReservedRate < 0 ? "negative rate"
                : seen[(row.InstanceType, row.Region)] > 1
                    ? $"more than one rate for {row.InstanceType} in {(row.Region.Length == 0 ? "all regions" : row.Region)}"
                    : null;
            if (reason is null)
            {
                lookup.Add(row);
                valid.Add(row);
            }
            else
            {
                issues.Add(new InputIssue(InputKind.Rate, i, reason));
            }
        }

        return lookup;
    }

    private static RegionLookup<TValue> ValidateRegionRows<TRow, TValue>(
        IReadOnlyList<TRow> rows,
        InputKind kind,
        Func<TRow, string> region,
        Func<TRow, TValue> value,
        Func<TRow, string?> check,
        List<InputIssue> issues,
        List<TRow> valid)
    {
        var seen = CountKeys(rows, region);
        var lookup = new RegionLookup<TValue>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var reason = check(row) ?? (seen[region(row)] > 1 ? $"region '{region(row)}' is listed more than once" : null);
            if (reason is null)
            {
                lookup.Add(region(row), value(row));
                valid.Add(row);
            }
            else
            {
                issues.Add(new InputIssue(kind, i, reason));
            }
        }

        return lookup;
    }

    private static HashSet<string> ValidateReserved(
        IReadOnlyList<ReservedInstance> rows, Dictionary<string, CustomerRecords> customers, RateLookup rates, List<InputIssue> issues)
    {
        var seen = CountKeys(rows, r => CanonicalId.Of(r.InstanceId));
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        var reasons = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            reasons.Clear();
            var instance = CanonicalId.Of(row.InstanceId);
            reserved.Add(instance);
            var customer = FindCustomer(row.CustomerId, customers, reasons);
            if (row.EndDate < row.StartDate)
            {
                reasons.Add("End Date is before Start Date");
            }

            if (row.StartDate.Day != 1)
            {
                reasons.Add("Start Date is not the first day of a month");
            }

            if (row.EndDate.Day != DateTime.DaysInMonth(row.EndDate.Year, row.EndDate.Month))
            {
                reasons.Add("End Date is not the last day of a month");
            }

            if (instance.Length > 0 && seen[instance] > 1)
            {
                reasons.Add($"instance {row.InstanceId} is reserved more than once");
            }

            if (row.InstanceType.Length > 0 && rates.Find(row.InstanceType, row.Region)?.ReservedRate is null)
            {
                reasons.Add($"no reserved rate for {row.InstanceType} in {RegionName(row.Region)}");
            }

            Record(InputKind.ReservedInstance, i, reasons, issues, customer?.Reserved);
        }

        return reserved;
    }

    private static (string[] Instances, RateCardEntry?[] Rates) ValidateUsage(
        IReadOnlyList<UsageRecord> rows,
        Dictionary<string, CustomerRecords> customers,
        RateLookup rates,
        HashSet<string> reservedInstances,
        List<InputIssue> issues)
    {
        var reasons = new List<string>();

        // Usage files repeat the same few customer IDs and types; caching the lookups keeps the loop cheap.
        var customerCache = new Dictionary<string, CustomerRecords?>(StringComparer.Ordinal);
        var rateCache = new Dictionary<(string Type, string Region), RateCardEntry?>();

        // Resolved once here so billing does not canonicalize IDs or look up rates again per row.
        var instanceCache = new Dictionary<string, string>(StringComparer.Ordinal);
        var instances = new string[rows.Count];
        var resolvedRates = new RateCardEntry?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            reasons.Clear();
            if (!customerCache.TryGetValue(row.CustomerId, out var customer))
            {
                customers.TryGetValue(CanonicalId.Of(row.CustomerId), out customer);
                customerCache[row.CustomerId] = customer;
            }

            if (customer is null)
            {
                reasons.Add(UnknownCustomer(row.CustomerId));
            }

            if (row.InstanceId.Length == 0)
            {
                reasons.Add("missing EC2 Instance ID");
            }

            if (row.Until < row.From)
            {
                reasons.Add("Used Until is before Used From");
            }

            if (row.InstanceType.Length == 0)
            {
                reasons.Add("missing EC2 Instance Type");
            }
            else
            {
                var key = (row.InstanceType, row.Region);
                if (!rateCache.TryGetValue(key, out var rate))
                {
                    rate = rates.Find(row.InstanceType, row.Region);
                    rateCache[key] = rate;
                }

                resolvedRates[i] = rate;
                if (rate is null)
                {
                    reasons.Add($"no rate for {row.InstanceType} in {RegionName(row.Region)}");
                }
            }

            if (!instanceCache.TryGetValue(row.InstanceId, out var instanceKey))
            {
                instanceKey = CanonicalId.Of(row.InstanceId);
                instanceCache.Add(row.InstanceId, instanceKey);
            }

            instances[i] = instanceKey;
            if (reservedInstances.Count > 0 && reservedInstances.Contains(instanceKey))
            {
                reasons.Add($"instance {row.InstanceId} is a reserved instance, not on-demand");
            }

            Record(InputKind.Usage, i, reasons, issues, customer?.Usage);
        }

        return (instances, resolvedRates);
    }

    private static void ValidateAllocations(
        IReadOnlyList<ElasticIpAllocation> rows, Dictionary<string, CustomerRecords> customers, RegionLookup<decimal> rates, List<InputIssue> issues)
    {
        var reasons = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            reasons.Clear();
            var customer = FindCustomer(row.CustomerId, customers, reasons);

            if (string.IsNullOrWhiteSpace(row.IpAddress))
            {
                reasons.Add("missing Elastic IP");
            }

            if (row.Until < row.From)
            {
                reasons.Add("Used Until is before Used From");
            }

            // The customer's own address is never charged, so it needs no rate.
            if (!row.IsOwnIp && !rates.TryGet(row.Region, out _))
            {
                reasons.Add($"no Elastic IP rate for {RegionName(row.Region)}");
            }

            Record(InputKind.ElasticIpAllocation, i, reasons, issues, customer?.Allocations);
        }
    }

    private static Dictionary<string, List<ElasticIpAssociation>> ValidateAssociations(IReadOnlyList<ElasticIpAssociation> rows, List<InputIssue> issues)
    {
        var byIp = new Dictionary<string, List<ElasticIpAssociation>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string? reason = string.IsNullOrWhiteSpace(row.IpAddress) ? "missing IP Address"
                : string.IsNullOrWhiteSpace(row.InstanceId) ? "missing EC2 Instance"
                : row.Until < row.From ? "Associated Until is before Associated From"
                : null;
            if (reason is not null)
            {
                issues.Add(new InputIssue(InputKind.ElasticIpAssociation, i, reason));
                continue;
            }

            if (!byIp.TryGetValue(row.IpAddress, out var list))
            {
                list = [];
                byIp.Add(row.IpAddress, list);
            }

            list.Add(row);
        }

        return byIp;
    }

    private static CustomerRecords? FindCustomer(string customerId, Dictionary<string, CustomerRecords> customers, List<string> reasons)
    {
        if (customers.TryGetValue(CanonicalId.Of(customerId), out var customer))
        {
            return customer;
        }

        reasons.Add(UnknownCustomer(customerId));
        return null;
    }

    private static string UnknownCustomer(string customerId) =>
        customerId.Length == 0 ? "missing Customer ID" : $"unknown customer {customerId}";

    private static void Record(InputKind kind, int index, List<string> reasons, List<InputIssue> issues, List<int>? accepted)
    {
        if (reasons.Count == 0)
        {
            accepted!.Add(index);
        }
        else
        {
            issues.Add(new InputIssue(kind, index, string.Join("; ", reasons)));
        }
    }

    private static Dictionary<TKey, int> CountKeys<TRow, TKey>(IReadOnlyList<TRow> rows, Func<TRow, TKey> key)
        where TKey : notnull
    {
        var counts = new Dictionary<TKey, int>();
        foreach (var row in rows)
        {
            var k = key(row);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }

        return counts;
    }

    private static string RegionName(string region) => region.Length == 0 ? "any region" : region;
}
