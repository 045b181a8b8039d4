using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using StreamBilling.Billing;

namespace StreamBilling.Cur;

/// <summary>
/// Writes realistic CUR exports laid out like the bucket, for tests, demos and <c>bench cur</c>: v1
/// <c>&lt;prefix&gt;/&lt;export&gt;/&lt;yyyyMMdd-yyyyMMdd&gt;/&lt;export&gt;-Manifest.json</c> with report files under an
/// assembly id, v2 <c>&lt;prefix&gt;/&lt;export&gt;/metadata/BILLING_PERIOD=&lt;yyyy-MM&gt;/&lt;export&gt;-Manifest.json</c>
/// with data files under <c>data/BILLING_PERIOD=&lt;yyyy-MM&gt;/&lt;executionId&gt;/</c>. Line items of six services in
/// five regions and six types (Usage, DiscountedUsage, Credit, Discount, Fee, RIFee), 50-character ids, ARNs, CUR
/// <c>category/columnName</c> names; later months gain tag columns (so imports must union by name); the last period is
/// written twice and its manifest points at the second version. DuckDB writes the files from SQL over <c>range()</c>
/// with every value a function of (seed, period, version, row): the same seed gives the same export.
/// </summary>
public static class CurSampleGenerator
{
    private static readonly string[] Services = ["AmazonEC2", "AmazonCloudFront", "AmazonS3", "AmazonRDS", "AWSLambda", "AmazonDynamoDB"];
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
    private static readonly string[] RegionCodes = ["USE1", "USW2", "EU", "EUC1", "APS2"];

    /// <summary>Writes the export <paramref name="options"/> describe.</summary>
    public static async Task<CurSampleExport> GenerateAsync(CurSampleOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Months, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Rows, options.Months);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RowsPerFile, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Accounts, 1);

        var random = new Random(options.Seed);
        var accounts = Enumerable.Range(0, options.Accounts).Select(_ => random.NextInt64(1_000_000_000, 999_999_999_999).ToString("D12", CultureInfo.InvariantCulture)).ToList();
        Directory.CreateDirectory(options.OutputFolder);
        var accountMap = Path.Combine(options.OutputFolder, "cur-accounts.csv");
        await File.WriteAllLinesAsync(
            accountMap,
            ["cur_account_id,customer_id", .. accounts.Select((a, i) => string.Create(CultureInfo.InvariantCulture, $"{a},CUST{i + 1:D4}"))],
            cancellationToken).ConfigureAwait(false);

        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var manifests = new List<string>();
        string? supersededKey = null;
        string? supersededId = null;
        var files = 0;
        long rows = 0;
        var period = options.FirstPeriod;
        for (var month = 0; month < options.Months; month++, period = period.Next)
        {
            var periodRows = (options.Rows / options.Months) + (month < options.Rows % options.Months ? 1 : 0);
            var last = month == options.Months - 1;

            // The last period is written twice, as AWS revises the current month: a smaller first version, then the
            // current one; the manifest at the period's folder ends up naming the second.
            var versions = last ? new[] { (Version: 1, Rows: Math.Max(1, periodRows / 2)), (Version: 2, Rows: periodRows) } : [(Version: 1, Rows: periodRows)];
            foreach (var (version, versionRows) in versions)
            {
                var id = IdOf(random);
                var written = await WriteVersionAsync(connection, options, accounts, month, period, version, versionRows, id, progress, cancellationToken).ConfigureAwait(false);
                files += written.Files;
                if (last && version == 1)
                {
                    supersededKey = written.CopyKey;
                    supersededId = id;
                }
            }

            rows += periodRows;
            manifests.Add(CurManifestLocator.ManifestKey(options.Prefix, options.ExportName, options.Version, period));
        }

        return new CurSampleExport(manifests, supersededKey!, supersededId!, files, rows, accountMap, accounts);
    }

    private static async Task<(int Files, string CopyKey)> WriteVersionAsync(
        DuckDBConnection connection, CurSampleOptions options, List<string> accounts, int month, BillingMonth period, int version, long rows, string id, TextWriter progress, CancellationToken cancellationToken)
    {
        var exportFolder = CurManifestLocator.ExportFolder(options.Prefix, options.ExportName);
        var filesFolder = options.Version == CurVersion.V1
            ? string.Create(CultureInfo.InvariantCulture, $"{exportFolder}/{period.Start:yyyyMMdd}-{period.End:yyyyMMdd}/{id}")
            : $"{exportFolder}/data/BILLING_PERIOD={period}/{id}";
        Directory.CreateDirectory(PathOf(options.OutputFolder, filesFolder));
        var extension = options.Format == CurFileFormat.Parquet ? "parquet" : "csv.gz";
        var keys = new List<string>();
        for (long first = 0, part = 1; first < rows; first += options.RowsPerFile, part++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{filesFolder}/{options.ExportName}-{part:D5}.{extension}");
            var select = Select(options, accounts, month, period, version, first, Math.Min(rows, first + options.RowsPerFile));
            var path = PathOf(options.OutputFolder, key);
            await using (var command = connection.CreateCommand())
            {
                // CSV: DuckDB writes it plain and .NET compresses it, several times faster than DuckDB's own gzip.
                command.CommandText = options.Format == CurFileFormat.Parquet
                    ? $"COPY ({select}) TO {CurStore.Literal(path)} (FORMAT PARQUET, COMPRESSION zstd)"
                    : $"COPY ({select}) TO {CurStore.Literal(path + ".plain")} (FORMAT CSV, HEADER true)";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (options.Format == CurFileFormat.CsvGzip)
            {
                await CompressAsync(path + ".plain", path, cancellationToken).ConfigureAwait(false);
            }

            keys.Add(key);
        }

        var manifest = ManifestJson(options, accounts[0], month, period, id, keys);
        var manifestKey = CurManifestLocator.ManifestKey(options.Prefix, options.ExportName, options.Version, period);
        var copyKey = $"{filesFolder}/{options.ExportName}-Manifest.json";
        await File.WriteAllTextAsync(PathOf(options.OutputFolder, copyKey), manifest, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(options.OutputFolder, manifestKey))!);
        await File.WriteAllTextAsync(PathOf(options.OutputFolder, manifestKey), manifest, cancellationToken).ConfigureAwait(false);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{period} version {version} ({id}): {rows:N0} rows in {keys.Count} file(s) under {filesFolder}")).ConfigureAwait(false);
        return (keys.Count, copyKey);
    }

    /// <summary>The columns of a month: the base set, plus tag columns from the second and third month on.</summary>
    private static List<(string Name, string Expression, string Type)> Columns(CurSampleOptions options, List<string> accounts, int month, BillingMonth period)
    {
        var csv = options.Format == CurFileFormat.CsvGzip;
        string Time(string expression) => csv ? $"strftime({expression}, '%Y-%m-%dT%H:%M:%SZ')" : expression;
        var start = $"TIMESTAMP '{period.Start:yyyy-MM-dd HH:mm:ss}'";
        var end = $"TIMESTAMP '{period.End:yyyy-MM-dd HH:mm:ss}'";
        var hourly = "kind IN ('Usage', 'DiscountedUsage')";
        var usageStart = $"CASE WHEN {hourly} THEN {start} + to_hours(hour) ELSE {start} END";
        var usageEnd = $"CASE WHEN {hourly} THEN {start} + to_hours(hour + 1) ELSE {end} END";
        var columns = new List<(string, string, string)>
        {
            ("identity/LineItemId", "line_item_id", "String"),
            ("identity/TimeInterval", $"{Time(usageStart)} || '/' || {Time(usageEnd)}", "String"),
            ("bill/InvoiceId", Text(string.Create(CultureInfo.InvariantCulture, $"{(uint)HashCode.Combine(options.Seed, period.Year, period.Month) % 1_000_000_000:D9}")), "String"),
            ("bill/BillingEntity", "CASE WHEN kind = 'Fee' THEN 'AWS Marketplace' ELSE 'AWS' END", "String"),
            ("bill/BillType", "'Anniversary'", "String"),
            ("bill/PayerAccountId", Text(accounts[0]), "String"),
            ("bill/BillingPeriodStartDate", Time(start), "DateTime"),
            ("bill/BillingPeriodEndDate", Time(end), "DateTime"),
            ("lineItem/UsageAccountId", "account", "String"),
            ("lineItem/LineItemType", "kind", "String"),
            ("lineItem/UsageStartDate", Time(usageStart), "DateTime"),
            ("lineItem/UsageEndDate", Time(usageEnd), "DateTime"),
            ("lineItem/ProductCode", "product_code", "String"),
            ("lineItem/UsageType", "usage_type", "String"),
            ("lineItem/Operation", "operation", "String"),
            ("lineItem/AvailabilityZone", "CASE WHEN svc IN (0, 3) AND kind = 'Usage' THEN region || chr(97 + size) END", "String"),
            ("lineItem/ResourceId", "resource_id", "String"),
            ("lineItem/UsageAmount", "amount", "BigDecimal"),
            ("lineItem/CurrencyCode", "'USD'", "String"),
            ("lineItem/UnblendedRate", "unblended_rate", "BigDecimal"),
            ("lineItem/UnblendedCost", "unblended_cost", "BigDecimal"),
            ("lineItem/BlendedRate", "unblended_rate", "BigDecimal"),
            ("lineItem/BlendedCost", "unblended_cost", "BigDecimal"),
            ("lineItem/LineItemDescription", "description", "String"),
            ("product/ProductName", "product_name", "String"),
            ("product/servicecode", "product_code", "String"),
            ("product/region", "CASE WHEN svc = 1 THEN 'global' ELSE region END", "String"),
            ("product/instanceType", "CASE WHEN svc IN (0, 3) THEN instance_type END", "String"),
            ("pricing/publicOnDemandCost", "CASE WHEN kind IN ('Usage', 'DiscountedUsage') THEN CAST(round(amount * rate, 10) AS DECIMAL(38, 10)) END", "BigDecimal"),
            ("pricing/publicOnDemandRate", "CASE WHEN kind IN ('Usage', 'DiscountedUsage') THEN rate END", "BigDecimal"),
            ("pricing/term", "CASE WHEN kind IN ('DiscountedUsage', 'RIFee') THEN 'Reserved' WHEN kind = 'Usage' THEN 'OnDemand' END", "String"),
            ("pricing/unit", "CASE WHEN kind IN ('Usage', 'DiscountedUsage', 'RIFee') THEN unit END", "String"),
            ("reservation/ReservationARN", "CASE WHEN kind IN ('DiscountedUsage', 'RIFee') THEN reservation_arn END", "String"),
            ("reservation/EffectiveCost", "CASE WHEN kind = 'DiscountedUsage' THEN CAST(round(amount * rate * 0.6, 10) AS DECIMAL(38, 10)) END", "BigDecimal"),
        };
        if (month >= 1)
        {
            columns.Add(("resourceTags/user:team", "CASE WHEN resource_id IS NOT NULL THEN ['video', 'web', 'data', 'platform'][1 + CAST((g >> 20) % 4 AS INTEGER)] END", "String"));
        }

        if (month >= 2)
        {
            columns.Add(("resourceTags/user:cost-center", "CASE WHEN resource_id IS NOT NULL THEN 'CC-' || CAST(100 + (g >> 24) % 5 AS VARCHAR) END", "String"));
        }

        return columns;
    }

    private static string Select(CurSampleOptions options, List<string> accounts, int month, BillingMonth period, int version, long first, long end)
    {
        var hours = (int)(period.End - period.Start).TotalHours;
        var seed = string.Create(CultureInfo.InvariantCulture, $"{options.Seed}, '{period}', {version}");
        var columns = string.Join(",\n    ", Columns(options, accounts, month, period).Select(c => $"{c.Expression} AS {CurStore.Identifier(c.Name)}"));

        // Row values are functions of hash(seed, period, version, row): deterministic and independent of thread count;
        // COPY keeps range()'s order (preserve_insertion_order), so the file is too.
        return string.Create(CultureInfo.InvariantCulture, $$"""
            WITH base AS (
                SELECT i, hash({{seed}}, i) AS h, hash({{seed}}, i, 'g') AS g
                FROM range({{first}}, {{end}}) r(i)
            ), pick AS (
                SELECT i, h, g,
                    {{List(accounts)}}[1 + CAST(h % {{accounts.Count}} AS INTEGER)] AS account,
                    CAST((h >> 8) % {{Services.Length}} AS INTEGER) AS svc,
                    CAST((h >> 12) % {{Regions.Length}} AS INTEGER) AS region_index,
                    CAST((h >> 16) % 100 AS INTEGER) AS roll,
                    CAST((h >> 24) % {{hours}} AS INTEGER) AS hour,
                    CAST((h >> 40) % 3 AS INTEGER) AS size,
                    CAST(g % 1000 AS INTEGER) + 1 AS qty
                FROM base
            ), typed AS (
                SELECT *,
                    {{List(Regions)}}[1 + region_index] AS region,
                    {{List(RegionCodes)}}[1 + region_index] AS region_code,
                    CASE
                        WHEN roll < 70 THEN 'Usage'
                        WHEN roll < 82 THEN CASE WHEN svc IN (0, 3) THEN 'DiscountedUsage' ELSE 'Usage' END
                        WHEN roll < 85 THEN 'Credit'
                        WHEN roll < 90 THEN 'Discount'
                        WHEN roll < 95 THEN 'Fee'
                        ELSE CASE WHEN svc IN (0, 3) THEN 'RIFee' ELSE 'Usage' END
                    END AS kind,
                    CASE svc WHEN 0 THEN ['t3.micro', 'm5.large', 'c5.xlarge'][1 + size] WHEN 3 THEN ['db.t3.micro', 'db.m5.large', 'db.r5.large'][1 + size] END AS instance_type,
                    CAST(CASE svc
                        WHEN 0 THEN ['0.0104', '0.0960', '0.1700'][1 + size]
                        WHEN 1 THEN '0.0850' WHEN 2 THEN '0.0230'
                        WHEN 3 THEN ['0.0170', '0.1710', '0.2500'][1 + size]
                        WHEN 4 THEN '0.0000002000' ELSE '0.0001300000' END AS DECIMAL(38, 10)) AS rate,
                    printf('%016x%016x', hash(account, svc, g % 16), hash(svc, g % 16, account)) AS resource_hash
                FROM pick
            ), described AS (
                SELECT *,
                    -- 50 characters of [a-z0-9], as AWS's line item ids.
                    translate(md5(concat_ws('/', {{seed}}, i)) || substr(md5(concat_ws('/', i, {{seed}})), 1, 18), '0189', 'wxyz') AS line_item_id,
                    CASE WHEN kind = 'Fee' THEN 'AWSSupportBusiness' ELSE {{List(Services)}}[1 + svc] END AS product_code,
                    CASE WHEN kind = 'Fee' THEN 'AWS Support (Business)' ELSE ['Amazon Elastic Compute Cloud', 'Amazon CloudFront', 'Amazon Simple Storage Service', 'Amazon Relational Database Service', 'AWS Lambda', 'Amazon DynamoDB'][1 + svc] END AS product_name,
                    ['Hrs', 'GB', 'GB-Mo', 'Hrs', 'Requests', 'ReadCapacityUnit-Hrs'][1 + svc] AS unit,
                    CASE
                        WHEN kind = 'RIFee' THEN CAST({{hours}} AS DECIMAL(38, 10))
                        WHEN kind IN ('Usage', 'DiscountedUsage') THEN CAST(qty * [1, 50, 20, 1, 100000, 100][1 + svc] / 1000.0 AS DECIMAL(38, 10))
                        ELSE CAST(0 AS DECIMAL(38, 10)) END AS amount,
                    CASE kind
                        WHEN 'Usage' THEN CASE svc
                            WHEN 0 THEN region_code || '-BoxUsage:' || instance_type
                            WHEN 1 THEN region_code || '-DataTransfer-Out-Bytes'
                            WHEN 2 THEN region_code || '-TimedStorage-ByteHrs'
                            WHEN 3 THEN region_code || '-InstanceUsage:' || instance_type
                            WHEN 4 THEN region_code || '-Request'
                            ELSE region_code || '-ReadCapacityUnit-Hrs' END
                        WHEN 'DiscountedUsage' THEN region_code || CASE svc WHEN 0 THEN '-BoxUsage:' ELSE '-InstanceUsage:' END || instance_type
                        WHEN 'RIFee' THEN region_code || '-HeavyUsage:' || instance_type
                        WHEN 'Fee' THEN 'Dollar'
                        ELSE '' END AS usage_type,
                    CASE WHEN kind IN ('Usage', 'DiscountedUsage') THEN ['RunInstances', 'GET', 'StandardStorage', 'CreateDBInstance:0002', 'Invoke', 'CommittedThroughput'][1 + svc] ELSE '' END AS operation,
                    CASE WHEN kind IN ('Usage', 'DiscountedUsage') THEN CASE svc
                        WHEN 0 THEN 'arn:aws:ec2:' || region || ':' || account || ':instance/i-' || substr(resource_hash, 1, 17)
                        WHEN 1 THEN 'arn:aws:cloudfront::' || account || ':distribution/E' || upper(substr(resource_hash, 1, 13))
                        WHEN 2 THEN 'arn:aws:s3:::sb-media-' || substr(resource_hash, 1, 10)
                        WHEN 3 THEN 'arn:aws:rds:' || region || ':' || account || ':db:db-' || substr(resource_hash, 1, 8)
                        WHEN 4 THEN 'arn:aws:lambda:' || region || ':' || account || ':function:fn-' || substr(resource_hash, 1, 8)
                        ELSE 'arn:aws:dynamodb:' || region || ':' || account || ':table/t-' || substr(resource_hash, 1, 8) END END AS resource_id,
                    'arn:aws:' || CASE svc WHEN 0 THEN 'ec2' ELSE 'rds' END || ':' || region || ':' || account || ':' || CASE svc WHEN 0 THEN 'reserved-instances/' ELSE 'ri:' END || printf('%016x%08x', hash(account, instance_type), hash(instance_type, account) >> 32) AS reservation_arn
                FROM typed
            ), priced AS (
                SELECT *,
                    CASE kind WHEN 'Usage' THEN rate WHEN 'RIFee' THEN CAST(round(rate * 0.6, 10) AS DECIMAL(38, 10)) ELSE CAST(0 AS DECIMAL(38, 10)) END AS unblended_rate,
                    CAST(CASE kind
                        WHEN 'Usage' THEN round(amount * rate, 10)
                        WHEN 'RIFee' THEN round(amount * rate * 0.6, 10)
                        WHEN 'Credit' THEN -round(qty / 100.0, 2)
                        WHEN 'Discount' THEN -round(qty / 200.0, 4)
                        WHEN 'Fee' THEN round(qty / 10.0, 2)
                        ELSE 0 END AS DECIMAL(38, 10)) AS unblended_cost,
                    CASE kind
                        WHEN 'Usage' THEN '$' || rate || ' per ' || unit || ' (' || product_code || ')'
                        WHEN 'DiscountedUsage' THEN instance_type || ' reserved instance applied'
                        WHEN 'RIFee' THEN 'Reserved instance fee for ' || instance_type
                        WHEN 'Credit' THEN 'AWS Promotional Credit'
                        WHEN 'Discount' THEN 'Enterprise Discount Program discount'
                        ELSE 'AWS Support (Business) monthly fee' END AS description
                FROM described
            )
            SELECT
                {{columns}}
            FROM priced
            """);
    }

    private static string ManifestJson(CurSampleOptions options, string payer, int month, BillingMonth period, string id, IReadOnlyList<string> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (options.Version == CurVersion.V1)
            {
                json.WriteString("assemblyId", id);
                json.WriteString("account", payer);
                json.WriteStartArray("columns");
                foreach (var (name, _, type) in Columns(options, [payer], month, period))
                {
                    json.WriteStartObject();
                    json.WriteString("category", name[..name.IndexOf('/', StringComparison.Ordinal)]);
                    json.WriteString("name", name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..]);
                    json.WriteString("type", type);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteString("charset", "UTF-8");
                json.WriteString("compression", options.Format == CurFileFormat.Parquet ? "Parquet" : "GZIP");
                json.WriteString("contentType", options.Format == CurFileFormat.Parquet ? "Parquet" : "text/csv");
                json.WriteString("reportId", id.Replace("-", string.Empty, StringComparison.Ordinal));
                json.WriteString("reportName", options.ExportName);
                WritePeriod(json, period.Start.ToString("yyyyMMdd'T'HHmmss'.000Z'", CultureInfo.InvariantCulture), period.End.ToString("yyyyMMdd'T'HHmmss'.000Z'", CultureInfo.InvariantCulture));
                json.WriteString("bucket", options.Bucket);
                json.WriteStartArray("reportKeys");
                foreach (var key in keys)
                {
                    json.WriteStringValue(key);
                }

                json.WriteEndArray();
                json.WriteStartArray("additionalArtifactKeys");
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("executionId", id);
                json.WriteString("exportName", options.ExportName);
                WritePeriod(json, period.Start.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture), period.End.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture));
                json.WriteString("bucket", options.Bucket);
                json.WriteStartArray("dataFiles");
                foreach (var key in keys)
                {
                    json.WriteStringValue($"s3://{options.Bucket}/{key}");
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WritePeriod(Utf8JsonWriter json, string start, string end)
    {
        json.WriteStartObject("billingPeriod");
        json.WriteString("start", start);
        json.WriteString("end", end);
        json.WriteEndObject();
    }

    /// <summary>A GUID-shaped id from the seeded random, as AWS's assembly and execution ids look.</summary>
    private static string IdOf(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private static async Task CompressAsync(string plain, string gzipped, CancellationToken cancellationToken)
    {
        await using (var input = File.OpenRead(plain))
        await using (var output = File.Create(gzipped))
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            await input.CopyToAsync(gzip, cancellationToken).ConfigureAwait(false);
        }

        File.Delete(plain);
    }

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(CurStore.Literal)) + "]";

    private static string Text(string value) => CurStore.Literal(value);

    private static string PathOf(string root, string key) => Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));
}
