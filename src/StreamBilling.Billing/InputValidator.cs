using System.Globalization;
using StreamBilling.Billing.RateCards;
using StreamBilling.Billing.UsagePricing;

namespace StreamBilling.Billing;

/// <summary>Applies the "never guess" rule: every record the bill rules cannot price is rejected with its reason.</summary>
internal static class InputValidator
{
    public static ValidatedInput Validate(BillInput input, DateTimeOffset? latestEventTime)
    {
        var issues = new List<InputIssue>();
        var times = new EventTimeCheck(latestEventTime);
        var rejectedCustomers = new HashSet<string>(StringComparer.Ordinal);
        var customers = ValidateCustomers(input.Customers, issues, rejectedCustomers);
        var lookup = new CustomerLookup(customers, rejectedCustomers);
        var validRates = new List<RateCardEntry>();
        var rates = ValidateRates(input.Rates, issues, validRates);
        var validFreeTier = new List<FreeTierEligibility>();
        var freeTier = input.FreeTier is null ? null : ValidateRegionRows(
            input.FreeTier, InputKind.FreeTier, r => r.Region, r => r.InstanceType, r => string.IsNullOrWhiteSpace(r.InstanceType) ? "missing Free Tier Eligible type" : null, issues, validFreeTier);
        var validEipRates = new List<ElasticIpRate>();
        var eipRates = ValidateRegionRows(
            input.ElasticIpRates, InputKind.ElasticIpRate, r => r.Region, r => r.RatePerHour, r => RateProblem(r.RatePerHour, "rate"), issues, validEipRates);

        // Reservations first: an instance listed there must not also appear as on-demand usage.
        var reservedInstances = ValidateReserved(input.ReservedInstances, lookup, rates, times, issues);
        var usageKeys = ValidateUsage(input.Usage, lookup, rates, reservedInstances, times, issues);
        ValidateAllocations(input.ElasticIpAllocations, lookup, eipRates, times, issues);
        var associations = ValidateAssociations(input.ElasticIpAssociations, times, issues);

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

    private static Dictionary<string, CustomerRecords> ValidateCustomers(IReadOnlyList<Customer> rows, List<InputIssue> issues, HashSet<string> rejected)
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
                rejected.Add(key);
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
                : RateProblem(row.OnDemandRate, "on-demand rate")
                ?? (row.ReservedRate is { } reserved ? RateProblem(reserved, "reserved rate") : null)
                ?? (seen[(row.InstanceType, row.Region)] > 1
                    ? $"more than one rate for {row.InstanceType} in {(row.Region.Length == 0 ? "all regions" : row.Region)}"
                    : null);
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
        IReadOnlyList<ReservedInstance> rows, CustomerLookup customers, RateLookup rates, EventTimeCheck times, List<InputIssue> issues)
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
            var customer = customers.Find(row.CustomerId, reasons, out var cause);
            var start = AtMidnight(row.StartDate);
            var end = AtMidnight(row.EndDate);
            times.Check(start, "Start Date", reasons, isEventTime: true);

            // The term ends in the future as a rule (it is paid ahead); only the calendar limits it.
            times.Check(end, "End Date", reasons, isEventTime: false);
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

            var rate = row.InstanceType.Length == 0 ? null : rates.Find(row.InstanceType, row.Region)?.ReservedRate;
            if (row.InstanceType.Length > 0 && rate is null)
            {
                reasons.Add($"no reserved rate for {row.InstanceType} in {RegionName(row.Region)}");
                cause ??= InputKind.Rate;
            }
            else if (rate is { } reservedRate && reasons.Count == 0)
            {
                // 24 hours a day for every day of the term.
                CheckAmount(24 * ((long)row.EndDate.DayNumber - row.StartDate.DayNumber + 1), reservedRate, reasons);
            }

            Record(InputKind.ReservedInstance, i, reasons, issues, customer?.Reserved, cause);
        }

        return reserved;
    }

    private static (string[] Instances, RateCardEntry?[] Rates) ValidateUsage(
        IReadOnlyList<UsageRecord> rows,
        CustomerLookup customers,
        RateLookup rates,
        HashSet<string> reservedInstances,
        EventTimeCheck times,
        List<InputIssue> issues)
    {
        var reasons = new List<string>();

        // Usage files repeat the same few customer IDs and types; caching the lookups keeps the loop cheap.
        var customerCache = new Dictionary<string, (CustomerRecords? Customer, string? Reason, InputKind? Cause)>(StringComparer.Ordinal);
        var rateCache = new Dictionary<(string Type, string Region), RateCardEntry?>();

        // Resolved once here so billing does not canonicalize IDs or look up rates again per row.
        var instanceCache = new Dictionary<string, string>(StringComparer.Ordinal);
        var instances = new string[rows.Count];
        var resolvedRates = new RateCardEntry?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            reasons.Clear();
            if (!customerCache.TryGetValue(row.CustomerId, out var found))
            {
                var customerReasons = new List<string>(1);
                var customerRecords = customers.Find(row.CustomerId, customerReasons, out var customerCause);
                found = (customerRecords, customerReasons.Count == 0 ? null : customerReasons[0], customerCause);
                customerCache[row.CustomerId] = found;
            }

            var (customer, customerReason, cause) = found;
            if (customerReason is not null)
            {
                reasons.Add(customerReason);
            }

            if (row.InstanceId.Length == 0)
            {
                reasons.Add("missing EC2 Instance ID");
            }

            var timesOk = times.Check(row.From, "Used From", reasons, isEventTime: true) & times.Check(row.Until, "Used Until", reasons, isEventTime: true);
            if (row.Until < row.From)
            {
                reasons.Add("Used Until is before Used From");
                timesOk = false;
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
                    cause ??= InputKind.Rate;
                }
                else if (timesOk)
                {
                    // Every month piece bills at most the hours of the whole row, so the whole row bounds each line it adds to.
                    CheckAmount(MonthSplitter.BilledHours(row.Until - row.From), rate.OnDemandRate, reasons);
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

            Record(InputKind.Usage, i, reasons, issues, customer?.Usage, cause);
        }

        return (instances, resolvedRates);
    }

    private static void ValidateAllocations(
        IReadOnlyList<ElasticIpAllocation> rows, CustomerLookup customers, RegionLookup<decimal> rates, EventTimeCheck times, List<InputIssue> issues)
    {
        var reasons = new List<string>();

        // Accepted allocations per address: an address is held by one allocation at a time, whoever holds it.
        var held = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            reasons.Clear();
            var customer = customers.Find(row.CustomerId, reasons, out var cause);
            int? overlapped = null;

            if (string.IsNullOrWhiteSpace(row.IpAddress))
            {
                reasons.Add("missing Elastic IP");
            }

            var timesOk = times.Check(row.From, "Used From", reasons, isEventTime: true) & times.Check(row.Until, "Used Until", reasons, isEventTime: true);
            if (row.Until < row.From)
            {
                reasons.Add("Used Until is before Used From");
                timesOk = false;
            }

            // The customer's own address is never charged, so it needs no rate.
            var rate = 0m;
            if (!row.IsOwnIp && !rates.TryGet(row.Region, out rate))
            {
                reasons.Add($"no Elastic IP rate for {RegionName(row.Region)}");
                cause ??= InputKind.ElasticIpRate;
            }
            else if (!row.IsOwnIp && timesOk)
            {
                // Idle time is at most the allocated time.
                CheckAmount(MonthSplitter.BilledHours(row.Until - row.From), rate, reasons);
            }

            if (timesOk && row.IpAddress.Length > 0 && held.TryGetValue(row.IpAddress, out var earlier))
            {
                var clash = earlier.FindIndex(e => rows[e].From < row.Until && row.From < rows[e].Until);
                if (clash >= 0)
                {
                    overlapped = earlier[clash];
                    var first = rows[earlier[clash]];
                    reasons.Add($"Elastic IP {row.IpAddress} is allocated twice at once: it is already allocated from {Timestamp(first.From)} to {Timestamp(first.Until)} by {first.CustomerId}");
                }
            }

            if (reasons.Count == 0 && row.IpAddress.Length > 0)
            {
                if (!held.TryGetValue(row.IpAddress, out var list))
                {
                    held[row.IpAddress] = list = [];
                }

                list.Add(i);
            }

            Record(InputKind.ElasticIpAllocation, i, reasons, issues, customer?.Allocations, cause, overlapped);
        }
    }

    private static Dictionary<string, List<ElasticIpAssociation>> ValidateAssociations(IReadOnlyList<ElasticIpAssociation> rows, EventTimeCheck times, List<InputIssue> issues)
    {
        var byIp = new Dictionary<string, List<ElasticIpAssociation>>(StringComparer.Ordinal);
        var reasons = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            reasons.Clear();
            if (string.IsNullOrWhiteSpace(row.IpAddress))
            {
                reasons.Add("missing IP Address");
            }

            if (string.IsNullOrWhiteSpace(row.InstanceId))
            {
                reasons.Add("missing EC2 Instance");
            }

            times.Check(row.From, "Associated From", reasons, isEventTime: true);
            times.Check(row.Until, "Associated Until", reasons, isEventTime: true);
            if (row.Until < row.From)
            {
                reasons.Add("Associated Until is before Associated From");
            }

            if (reasons.Count > 0)
            {
                issues.Add(new InputIssue(InputKind.ElasticIpAssociation, i, string.Join("; ", reasons)));
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

    /// <summary>A rate no bill can carry: negative, or so large that a single hour exceeds the largest billable amount.</summary>
    private static string? RateProblem(decimal rate, string name) =>
        rate < 0 ? "negative rate"
        : rate > Money.MaxAmount ? $"{name} {rate.ToString(CultureInfo.InvariantCulture)} exceeds the largest billable amount {Money.MaxAmountText}"
        : null;

    /// <summary>Rejects a row whose own charge (hours x rate) exceeds the largest billable amount.</summary>
    private static void CheckAmount(long hours, decimal rate, List<string> reasons)
    {
        if (hours > 0 && rate > Money.MaxAmount / hours)
        {
            reasons.Add($"amount {hours.ToString(CultureInfo.InvariantCulture)} h x {rate.ToString(CultureInfo.InvariantCulture)} exceeds the largest billable amount {Money.MaxAmountText}");
        }
    }

    private static DateTimeOffset AtMidnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    private static void Record(InputKind kind, int index, List<string> reasons, List<InputIssue> issues, List<int>? accepted, InputKind? cause = null, int? relatedIndex = null)
    {
        if (reasons.Count == 0)
        {
            accepted!.Add(index);
        }
        else
        {
            issues.Add(new InputIssue(kind, index, string.Join("; ", reasons)) { Cause = cause, RelatedIndex = relatedIndex });
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

    /// <summary>Finds the customer a row names; a customer whose own row was rejected is named as the cause.</summary>
    private sealed class CustomerLookup(Dictionary<string, CustomerRecords> customers, HashSet<string> rejected)
    {
        public CustomerRecords? Find(string customerId, List<string> reasons, out InputKind? cause)
        {
            var key = CanonicalId.Of(customerId);
            if (customers.TryGetValue(key, out var customer))
            {
                cause = null;
                return customer;
            }

            cause = InputKind.Customer;
            reasons.Add(customerId.Length == 0 ? "missing Customer ID"
                : rejected.Contains(key) ? $"customer {customerId} is not billable: its customer row is rejected"
                : $"unknown customer {customerId}");
            return null;
        }
    }

    /// <summary>
    /// The time rules: every date must lie where bill months can be computed, and an event time (a usage, allocation
    /// or association boundary, a reservation start) may not lie further ahead of the clock than the allowed skew.
    /// </summary>
    private sealed class EventTimeCheck(DateTimeOffset? latestEventTime)
    {
        // Bill months end at year 9998, and a reservation's last month needs the month after it.
        private static readonly DateTimeOffset EndOfCalendar = new(9998, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public bool Check(DateTimeOffset time, string name, List<string> reasons, bool isEventTime)
        {
            if (time >= EndOfCalendar)
            {
                reasons.Add($"{name} {Timestamp(time)} is beyond the last billable date {Timestamp(EndOfCalendar)}");
                return false;
            }

            if (isEventTime && time > latestEventTime)
            {
                reasons.Add($"{name} {Timestamp(time)} is later than {Timestamp(latestEventTime.Value)}, the current time plus the allowed clock skew (future-timestamp)");
                return false;
            }

            return true;
        }
    }
}
