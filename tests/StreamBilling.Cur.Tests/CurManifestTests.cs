namespace StreamBilling.Cur.Tests;

public sealed class CurManifestTests
{
    private const string V1 = """
        {"assemblyId": "6a1c", "billingPeriod": {"start": "20240701T000000.000Z", "end": "20240801T000000.000Z"},
         "reportKeys": ["cur/daily/20240701-20240801/6a1c/daily-00001.csv.gz", "cur/daily/20240701-20240801/6a1c/daily-00002.csv.gz"]}
        """;

    private const string V2 = """
        {"executionId": "e-42", "billingPeriod": {"start": "2024-07-01T00:00:00.000Z", "end": "2024-08-01T00:00:00.000Z"},
         "dataFiles": ["s3://my-bucket/cur/daily/data/BILLING_PERIOD=2024-07/e-42/daily-00001.snappy.parquet"]}
        """;

    [Fact]
    public void Parse_V1_ReadsAssemblyIdPeriodAndReportKeys()
    {
        var manifest = CurManifest.Parse("m.json", CurVersion.V1, V1);

        Assert.Equal(("6a1c", "2024-07", 2), (manifest.Id, manifest.BillingPeriod.ToString(), manifest.ReportKeys.Count));
        Assert.Equal("cur/daily/20240701-20240801/6a1c/daily-00002.csv.gz", manifest.ReportKeys[1]);
    }

    [Fact]
    public void Parse_V2_ReadsExecutionIdAndTurnsDataFileUrisIntoKeys()
    {
        var manifest = CurManifest.Parse("m.json", CurVersion.V2, V2);

        Assert.Equal(("e-42", "2024-07"), (manifest.Id, manifest.BillingPeriod.ToString()));
        Assert.Equal(["cur/daily/data/BILLING_PERIOD=2024-07/e-42/daily-00001.snappy.parquet"], manifest.ReportKeys);
    }

    [Theory]
    [InlineData(CurVersion.V2, V1, "is not a CUR v2 manifest")]
    [InlineData(CurVersion.V1, V2, "is not a CUR v1 manifest")]
    [InlineData(CurVersion.V1, "{\"assemblyId\": \"a\", \"reportKeys\": []}", "lists no report files")]
    [InlineData(CurVersion.V1, "{\"assemblyId\": \"a\", \"reportKeys\": [\"k.csv.gz\"]}", "has no readable billingPeriod.start")]
    [InlineData(CurVersion.V1, "<xml/>", "is not JSON")]
    public void Parse_ManifestOfAnotherVersionOrBroken_FailsNamingTheManifest(CurVersion version, string json, string expected)
    {
        var error = Assert.Throws<CurImportException>(() => CurManifest.Parse("cur/daily/x/daily-Manifest.json", version, json));

        Assert.Contains("'cur/daily/x/daily-Manifest.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v3")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseVersion_Unknown_IsRefusedSayingWhatIsRead(string? text)
    {
        var error = Assert.Throws<CurImportException>(() => CurVersions.Parse(text));

        Assert.Contains("v1 (legacy Cost and Usage Reports) and v2 (CUR 2.0 data exports)", error.Message, StringComparison.Ordinal);
    }
}
