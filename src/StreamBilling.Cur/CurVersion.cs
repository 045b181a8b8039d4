namespace StreamBilling.Cur;

/// <summary>The two layouts AWS writes Cost and Usage Report exports in.</summary>
public enum CurVersion
{
    /// <summary>Legacy CUR: <c>&lt;prefix&gt;/&lt;export&gt;/&lt;yyyyMMdd-yyyyMMdd&gt;/&lt;export&gt;-Manifest.json</c>, report files under an assembly id.</summary>
    V1,

    /// <summary>CUR 2.0 data exports: <c>&lt;prefix&gt;/&lt;export&gt;/metadata/BILLING_PERIOD=&lt;yyyy-MM&gt;/&lt;export&gt;-Manifest.json</c>, data files under <c>data/</c>.</summary>
    V2,
}
