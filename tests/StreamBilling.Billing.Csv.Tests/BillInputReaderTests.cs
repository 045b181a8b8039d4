using System.Text;
using System.Text.Unicode;
using FsCheck;
using FsCheck.Fluent;

namespace StreamBilling.Billing.Csv.Tests;

public sealed class BillInputReaderTests
{
    private const string Customers = "Sr No,Customer ID,Customer Name\n1,CUST-001,ABC Corporation\n2,CUST-002,XYZ Corporation\n";
    private const string Rates = "Sr No,Instance Type,Charge/Hour\n1,t3.micro,$0.0104\n2,t3.small,$0.0209\n";

    [Fact]
    public void Read_SeedSample_AllRowsRead()
    {
        var read = BillInputReader.Read(TempFolder.RepoFile("samples/bill-seed"));

        Assert.Empty(read.FileErrors);
        Assert.Empty(read.RowErrors);
        Assert.Equal((2, 3, 8), (read.Input.Customers.Count, read.Input.Rates.Count, read.Input.Usage.Count));
        Assert.Null(read.Input.FreeTier);
        Assert.All(read.Input.Usage, u => Assert.Equal((string.Empty, InstanceOs.Linux), (u.Region, u.Os)));
    }

    [Fact]
    public void Read_HeadersInOtherCaseAndSpacing_Matched()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", " customer  id ,CUSTOMER NAME\nCUST-001,ABC\n")
            .With("AWSResourceTypes.csv", "instance type, charge / hour \nt3.small,0.0209\n")
            .With("AWSResourceUsage.csv", "customer id,ec2 instance id,EC2 INSTANCE TYPE,usedfrom,Used Until\nCUST001,i-1,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\n");

        var read = BillInputReader.Read(folder.Path);

        Assert.Empty(read.FileErrors);
        Assert.Single(read.Input.Usage);
        Assert.Equal(0.0209m, Assert.Single(read.Input.Rates).OnDemandRate);
    }

    [Fact]
    public void Read_MoneyWithDollarAndThousandsSeparator_Parsed()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", "Instance Type,Charge/Hour (OnDemand),Charge/Hour (Reserved),Region\nbig.metal,\"$1,234.5600\",0.085,US (Ohio)\n")
            .With("AWSOnDemandResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\n");

        var rate = Assert.Single(BillInputReader.Read(folder.Path).Input.Rates);

        Assert.Equal((1234.56m, (decimal?)0.085m, "US (Ohio)"), (rate.OnDemandRate, rate.ReservedRate, rate.Region));
    }

    [Fact]
    public void Read_OnDemandFileWithRegionAndOs_Read()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", "Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\n1,CUST002,t3-hsasa,t3.micro,2021-06-18T10:00:00,2021-08-15T15:30:45,Asia (Mumbai),Windows\n");

        var usage = Assert.Single(BillInputReader.Read(folder.Path).Input.Usage);

        Assert.Equal(("Asia (Mumbai)", InstanceOs.Windows), (usage.Region, usage.Os));
    }

    [Fact]
    public void Read_BadValues_RowErrorNamesLineReasonsAndRawRow()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\nCUST001,i-1,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\nCUST001,i-2,t3.small,2021-13-01T00:00:00,yesterday\n");

        var read = BillInputReader.Read(folder.Path);

        var error = Assert.Single(read.RowErrors);
        Assert.Equal(("AWSResourceUsage.csv", 3), (error.File, error.Line));
        Assert.Contains("Used From '2021-13-01T00:00:00'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("Used Until 'yesterday'", error.Reason, StringComparison.Ordinal);
        Assert.Equal("CUST001,i-2,t3.small,2021-13-01T00:00:00,yesterday", error.RawRow);
        Assert.Single(read.Input.Usage);
    }

    [Fact]
    public void Read_UnknownOs_RowError()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\nCUST001,i-1,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00,US (Ohio),BeOS\n");

        Assert.Contains("OS 'BeOS'", Assert.Single(BillInputReader.Read(folder.Path).RowErrors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingRequiredFiles_FileErrorForEach()
    {
        using var folder = new TempFolder();

        var errors = BillInputReader.Read(folder.Path).FileErrors;

        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Equal("required file is missing", e.Reason));
    }

    [Fact]
    public void Read_MissingColumn_FileError()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", "Customer ID\nCUST001\n")
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\n");

        var error = Assert.Single(BillInputReader.Read(folder.Path).FileErrors);

        Assert.Equal(("Customer.csv", "missing column 'Customer Name'"), (error.File, error.Reason));
    }

    [Fact]
    public void Read_BothUsageFiles_FileError()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\n")
            .With("AWSOnDemandResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\n");

        Assert.Contains("both", Assert.Single(BillInputReader.Read(folder.Path).FileErrors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_RuleIssue_NamesFileLineAndRawRow()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\nCUST001,i-1,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\n\nCUST009,i-2,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\n");
        var read = BillInputReader.Read(folder.Path);

        var error = Assert.Single(read.Describe(BillCalculator.Calculate(read.Input).Issues));

        Assert.Equal(("AWSResourceUsage.csv", 4, "CUST009,i-2,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00"), (error.File, error.Line, error.RawRow));
        Assert.Contains("unknown customer CUST009", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OptionalFiles_AllKindsRead()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSOnDemandResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until,Region,OS\n")
            .With("AWSReservedInstanceUsage.csv", "Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Start Date,End Date,Region,OS\n1,CUST001,t3-hsgjh,t3.micro,2019-05-01,2020-04-30,US (Ohio),Linux\n")
            .With("AWSFreeTierEligibility.csv", "Region,Free Tier Eligible\nUS (Ohio),t3.micro\nMiddle East,t2.micro\n")
            .With("ElasticIPAllocation.csv", "Customer,Region,Elastic IP,Used From,Used Until,Your own IP?\nCUST001,US (Ohio),52.45.78.90,2021-05-10T15:45:50,2021-05-12T17:45:50,No\nCUST001,IN (Mumbai),52.45.88.91,2021-05-12T15:45:50,2021-05-18T17:45:50,Yes\n")
            .With("ElasticIPAssociation.csv", "IP Address,EC2 Instance,Associated From,Associated Until\n52.45.78.90,t3-wedjh,2021-05-11T12:15:20,2021-05-11T18:15:20\n")
            .With("ElasticIPRates.csv", "Region,Rate/Hour\nUS (Ohio),$0.005\nIN (Mumbai),$0.006\n");

        var read = BillInputReader.Read(folder.Path);

        Assert.Empty(read.RowErrors);
        Assert.Equal(new DateOnly(2020, 4, 30), Assert.Single(read.Input.ReservedInstances).EndDate);
        Assert.Equal(2, read.Input.FreeTier!.Count);
        Assert.Equal([false, true], read.Input.ElasticIpAllocations.Select(a => a.IsOwnIp));
        Assert.Single(read.Input.ElasticIpAssociations);
        Assert.Equal(0.006m, read.Input.ElasticIpRates[1].RatePerHour);
    }

    [Fact]
    public void Read_FieldNotUtf8_RowErrorAndNoReplacementCharacterBilled()
    {
        using var folder = new TempFolder()
            .WithBytes("Customer.csv", [.. "Sr No,Customer ID,Customer Name\n1,CUST-001,Caf"u8, 0xE9, .. " Corporation\n2,CUST-002,XYZ Corporation\n"u8])
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\n");

        var read = BillInputReader.Read(folder.Path);

        var error = Assert.Single(read.RowErrors);
        Assert.Equal(("Customer.csv", 2, "'Customer Name' is not valid UTF-8"), (error.File, error.Line, error.Reason));
        Assert.Equal("XYZ Corporation", Assert.Single(read.Input.Customers).Name);
    }

    [Theory]
    [InlineData("i-1\0", "U+0000")]
    [InlineData("i-\u001b[2J", "U+001B")]
    [InlineData("i-1\u0090", "U+0090")]
    [InlineData("\"i-1\nx\"", "U+000A")]
    public void Read_ControlCharacterInId_RowError(string instanceId, string codePoint)
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", $"Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\nCUST001,{instanceId},t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\n");

        var read = BillInputReader.Read(folder.Path);

        Assert.Equal($"'EC2 Instance ID' contains the control character {codePoint}", Assert.Single(read.RowErrors).Reason);
        Assert.Empty(read.Input.Usage);
    }

    [Fact]
    public void Read_TabAroundValue_TrimmedAndAccepted()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\nCUST001,\ti-1 ,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\n");

        var read = BillInputReader.Read(folder.Path);

        Assert.Empty(read.RowErrors);
        Assert.Equal("i-1", Assert.Single(read.Input.Usage).InstanceId);
    }

    [Fact]
    public void Read_CrLfLineEndings_NoControlCharacterReported()
    {
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .WithBytes("AWSResourceUsage.csv", "Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\r\n1,CUST001,i-1,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\r\n2,CUST001,i-2,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\r\n"u8.ToArray());

        var read = BillInputReader.Read(folder.Path);

        Assert.Empty(read.RowErrors);
        Assert.Equal(["i-1", "i-2"], read.Input.Usage.Select(u => u.InstanceId));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("A-7", "A-7")]
    public void Read_RepeatedSrNo_LaterRowRejectedNamingTheFirstLine(string first, string repeated)
    {
        const string Row = "CUST001,i-1,t3.small,2021-08-01T00:00:00,2021-08-01T01:00:00\n";
        using var folder = new TempFolder()
            .With("Customer.csv", Customers)
            .With("AWSResourceTypes.csv", Rates)
            .With("AWSResourceUsage.csv", "Sr No,Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\n" + first + "," + Row + "8," + Row + repeated + "," + Row);

        var read = BillInputReader.Read(folder.Path);

        var error = Assert.Single(read.RowErrors);
        Assert.Equal(("AWSResourceUsage.csv", 4, $"Sr No {repeated} repeats line 2: a row is billed once"), (error.File, error.Line, error.Reason));
        Assert.Equal(2, read.Input.Usage.Count);
    }

    /// <summary>
    /// Any bytes in a name: the name is read exactly when they are UTF-8 text without control characters, and the row
    /// is rejected otherwise; a replacement character never reaches a bill.
    /// </summary>
    [Fact]
    public void Read_AnyBytesInAName_ReadExactlyOrRejected()
    {
        // Bytes that keep the CSV structure (no separator, quote or line break), weighted towards UTF-8 lead and continuation bytes.
        var nameBytes = Gen.Frequency(
                (4, Gen.Choose(0x20, 0x7E)),
                (2, Gen.Choose(0x80, 0xFF)),
                (1, Gen.Choose(0x00, 0x1F)),
                (1, Gen.Elements(0xC2, 0xE2, 0xF0, 0x7F)))
            .Select(b => (byte)b)
            .Where(b => b is not ((byte)',' or (byte)'"' or (byte)'\n' or (byte)'\r'))
            .ArrayOf()
            .Where(bytes => bytes.Length > 0);

        Prop.ForAll(nameBytes.ToArbitrary(), bytes =>
        {
            using var folder = new TempFolder()
                .WithBytes("Customer.csv", [.. "Customer ID,Customer Name\nCUST-001,"u8, .. bytes, (byte)'\n'])
                .With("AWSResourceTypes.csv", Rates)
                .With("AWSResourceUsage.csv", "Customer ID,EC2 Instance ID,EC2 Instance Type,Used From,Used Until\n");
            var read = BillInputReader.Read(folder.Path);

            var text = Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes).Trim(' ', '\t') : null;
            var acceptable = text is { Length: > 0 } && !text.Any(char.IsControl);
            return acceptable
                ? read.RowErrors.Count == 0 && Assert.Single(read.Input.Customers).Name == text
                : read.Input.Customers.Count == 0 && read.RowErrors.Count == 1 && !read.Input.Customers.Any(c => c.Name.Contains('\uFFFD', StringComparison.Ordinal));
        }).QuickCheckThrowOnFailure();
    }
}
