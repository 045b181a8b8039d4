namespace StreamBilling.Billing.Csv;

/// <summary>Reads the input files of a bill run from a folder (see <see cref="InputFileNames"/>).</summary>
public static class BillInputReader
{
    /// <summary>Reads every input file found in <paramref name="directory"/>; a missing optional file means "none".</summary>
    public static CsvBillInput Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var run = new ReadRun();
        if (!Directory.Exists(directory))
        {
            run.FileErrors.Add(new InputError(directory, 0, "input folder does not exist", string.Empty));
            return run.Result(new BillInput());
        }

        var files = Directory.EnumerateFiles(directory)
            .GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        string? Find(string name) => files.GetValueOrDefault(name);

        var customers = Required<Customer>(run, Find(InputFileNames.Customers), InputFileNames.Customers, InputKind.Customer, ReadCustomers);
        var rates = Required<RateCardEntry>(run, Find(InputFileNames.ResourceTypes), InputFileNames.ResourceTypes, InputKind.Rate, ReadRates);

        var onDemand = Find(InputFileNames.OnDemandUsage);
        var legacy = Find(InputFileNames.LegacyUsage);
        List<UsageRecord> usage = [];
        if (onDemand is not null && legacy is not null)
        {
            run.FileErrors.Add(new InputError(InputFileNames.LegacyUsage, 0, $"both {InputFileNames.OnDemandUsage} and {InputFileNames.LegacyUsage} are present; keep one so no usage is billed twice", string.Empty));
        }
        else
        {
            usage = Required<UsageRecord>(run, onDemand ?? legacy, $"{InputFileNames.OnDemandUsage} (or {InputFileNames.LegacyUsage})", InputKind.Usage, ReadUsage);
        }

        var freeTierPath = Find(InputFileNames.FreeTier);
        return run.Result(new BillInput
        {
            Customers = customers,
            Rates = rates,
            Usage = usage,
            ReservedInstances = Optional<ReservedInstance>(run, Find(InputFileNames.ReservedInstances), InputKind.ReservedInstance, ReadReserved),
            FreeTier = freeTierPath is null ? null : Optional<FreeTierEligibility>(run, freeTierPath, InputKind.FreeTier, ReadFreeTier),
            ElasticIpAllocations = Optional<ElasticIpAllocation>(run, Find(InputFileNames.ElasticIpAllocations), InputKind.ElasticIpAllocation, ReadAllocations),
            ElasticIpAssociations = Optional<ElasticIpAssociation>(run, Find(InputFileNames.ElasticIpAssociations), InputKind.ElasticIpAssociation, ReadAssociations),
            ElasticIpRates = Optional<ElasticIpRate>(run, Find(InputFileNames.ElasticIpRates), InputKind.ElasticIpRate, ReadElasticIpRates),
        });
    }

    private static List<TRecord> Required<TRecord>(ReadRun run, string? path, string name, InputKind kind, Action<CsvTable, ReadRun, SourceFile, List<TRecord>> read)
    {
        if (path is null)
        {
            run.FileErrors.Add(new InputError(name, 0, "required file is missing", string.Empty));
            return [];
        }

        return Optional(run, path, kind, read);
    }

    private static List<TRecord> Optional<TRecord>(ReadRun run, string? path, InputKind kind, Action<CsvTable, ReadRun, SourceFile, List<TRecord>> read)
    {
        var records = new List<TRecord>();
        if (path is null)
        {
            return records;
        }

        var source = new SourceFile(path);
        run.Sources[kind] = source;
        using var table = CsvTable.Open(path);
        read(table, run, source, records);
        run.RowErrors.AddRange(table.Malformed);
        return records;
    }

    private static void ReadCustomers(CsvTable t, ReadRun run, SourceFile source, List<Customer> records)
    {
        int id = t.Column("customerid"), name = t.Column("customername");
        if (!run.HasColumns(t, (id, "Customer ID"), (name, "Customer Name")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var idText = row.Required(t, id, "Customer ID");
            var nameText = row.Required(t, name, "Customer Name");
            if (row.Accept(t, source))
            {
                records.Add(new Customer(idText, nameText));
            }
        }
    }

    private static void ReadRates(CsvTable t, ReadRun run, SourceFile source, List<RateCardEntry> records)
    {
        int type = t.Column("instancetype", "ec2instancetype"), onDemand = t.Column("charge/hour(ondemand)", "charge/hour"),
            reserved = t.Column("charge/hour(reserved)"), region = t.Column("region");
        if (!run.HasColumns(t, (type, "Instance Type"), (onDemand, "Charge/Hour (OnDemand)")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var typeText = row.Required(t, type, "Instance Type");
            var onDemandRate = row.Money(t, onDemand, "Charge/Hour");
            var reservedText = t.Field(reserved);
            decimal? reservedRate = reservedText.Length == 0 ? null : row.Money(t, reserved, "Charge/Hour (Reserved)");
            if (row.Accept(t, source))
            {
                records.Add(new RateCardEntry(typeText, t.Field(region), onDemandRate, reservedRate));
            }
        }
    }

    private static void ReadUsage(CsvTable t, ReadRun run, SourceFile source, List<UsageRecord> records)
    {
        int customer = t.Column("customerid"), instance = t.Column("ec2instanceid"), type = t.Column("ec2instancetype"),
            from = t.Column("usedfrom"), until = t.Column("useduntil"), region = t.Column("region"), os = t.Column("os");
        if (!run.HasColumns(t, (customer, "Customer ID"), (instance, "EC2 Instance ID"), (type, "EC2 Instance Type"), (from, "Used From"), (until, "Used Until")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var customerText = row.Required(t, customer, "Customer ID");
            var instanceText = row.Required(t, instance, "EC2 Instance ID");
            var typeText = row.Required(t, type, "EC2 Instance Type");
            var fromValue = row.Timestamp(t, from, "Used From");
            var untilValue = row.Timestamp(t, until, "Used Until");

            // The older file has no OS column: its usage counts as Linux.
            var osValue = os < 0 ? InstanceOs.Linux : row.Os(t, os);
            if (row.Accept(t, source))
            {
                records.Add(new UsageRecord(customerText, instanceText, typeText, t.Field(region), osValue, fromValue, untilValue));
            }
        }
    }

    private static void ReadReserved(CsvTable t, ReadRun run, SourceFile source, List<ReservedInstance> records)
    {
        int customer = t.Column("customerid"), instance = t.Column("ec2instanceid"), type = t.Column("ec2instancetype"),
            start = t.Column("startdate"), end = t.Column("enddate"), region = t.Column("region"), os = t.Column("os");
        if (!run.HasColumns(t, (customer, "Customer ID"), (instance, "EC2 Instance ID"), (type, "EC2 Instance Type"), (start, "Start Date"), (end, "End Date")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var customerText = row.Required(t, customer, "Customer ID");
            var instanceText = row.Required(t, instance, "EC2 Instance ID");
            var typeText = row.Required(t, type, "EC2 Instance Type");
            var startValue = row.Date(t, start, "Start Date");
            var endValue = row.Date(t, end, "End Date");
            var osValue = os < 0 ? InstanceOs.Linux : row.Os(t, os);
            if (row.Accept(t, source))
            {
                records.Add(new ReservedInstance(customerText, instanceText, typeText, t.Field(region), osValue, startValue, endValue));
            }
        }
    }

    private static void ReadFreeTier(CsvTable t, ReadRun run, SourceFile source, List<FreeTierEligibility> records)
    {
        int region = t.Column("region"), type = t.Column("freetiereligible", "instancetype");
        if (!run.HasColumns(t, (region, "Region"), (type, "Free Tier Eligible")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var typeText = row.Required(t, type, "Free Tier Eligible");
            if (row.Accept(t, source))
            {
                records.Add(new FreeTierEligibility(t.Field(region), typeText));
            }
        }
    }

    private static void ReadAllocations(CsvTable t, ReadRun run, SourceFile source, List<ElasticIpAllocation> records)
    {
        int customer = t.Column("customer", "customerid"), region = t.Column("region"), ip = t.Column("elasticip", "ipaddress"),
            from = t.Column("usedfrom", "allocatedfrom"), until = t.Column("useduntil", "allocateduntil"), own = t.Column("yourownip?", "yourownip", "byoip");
        if (!run.HasColumns(t, (customer, "Customer"), (ip, "Elastic IP"), (from, "Used From"), (until, "Used Until"), (own, "Your own IP?")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var customerText = row.Required(t, customer, "Customer");
            var ipText = row.Required(t, ip, "Elastic IP");
            var fromValue = row.Timestamp(t, from, "Used From");
            var untilValue = row.Timestamp(t, until, "Used Until");
            var ownValue = row.YesNo(t, own, "Your own IP?");
            if (row.Accept(t, source))
            {
                records.Add(new ElasticIpAllocation(customerText, t.Field(region), ipText, fromValue, untilValue, ownValue));
            }
        }
    }

    private static void ReadAssociations(CsvTable t, ReadRun run, SourceFile source, List<ElasticIpAssociation> records)
    {
        int ip = t.Column("ipaddress", "elasticip"), instance = t.Column("ec2instance", "ec2instanceid"),
            from = t.Column("associatedfrom"), until = t.Column("associateduntil");
        if (!run.HasColumns(t, (ip, "IP Address"), (instance, "EC2 Instance"), (from, "Associated From"), (until, "Associated Until")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var ipText = row.Required(t, ip, "IP Address");
            var instanceText = row.Required(t, instance, "EC2 Instance");
            var fromValue = row.Timestamp(t, from, "Associated From");
            var untilValue = row.Timestamp(t, until, "Associated Until");
            if (row.Accept(t, source))
            {
                records.Add(new ElasticIpAssociation(ipText, instanceText, fromValue, untilValue));
            }
        }
    }

    private static void ReadElasticIpRates(CsvTable t, ReadRun run, SourceFile source, List<ElasticIpRate> records)
    {
        int region = t.Column("region"), rate = t.Column("rate/hour", "charge/hour");
        if (!run.HasColumns(t, (region, "Region"), (rate, "Rate/Hour")))
        {
            return;
        }

        var row = new RowCheck(run.RowErrors);
        while (t.Read())
        {
            row.Clear();
            var rateValue = row.Money(t, rate, "Rate/Hour");
            if (row.Accept(t, source))
            {
                records.Add(new ElasticIpRate(t.Field(region), rateValue));
            }
        }
    }

    /// <summary>State shared by the readers of one folder.</summary>
    private sealed class ReadRun
    {
        public List<InputError> FileErrors { get; } = [];

        public List<InputError> RowErrors { get; } = [];

        public Dictionary<InputKind, SourceFile> Sources { get; } = [];

        public bool HasColumns(CsvTable t, params ReadOnlySpan<(int Index, string Name)> columns)
        {
            var ok = true;
            foreach (var (index, name) in columns)
            {
                if (index < 0)
                {
                    FileErrors.Add(new InputError(t.FileName, 1, $"missing column '{name}'", string.Empty));
                    ok = false;
                }
            }

            return ok;
        }

        public CsvBillInput Result(BillInput input) => new(input, FileErrors, RowErrors, Sources);
    }
}
