namespace Marketplace.Core.Identity;

/// <summary>
/// One key of ASP.NET Core's data-protection key ring (the keys behind session cookies and antiforgery tokens), as its
/// Entity Framework store keeps it: every instance on the database reads the same ring. Only the web app reads and
/// writes these rows, through that store; they are mapped here too so that the migrations, the schema check and the
/// copy to PostgreSQL know the table.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    public const string Table = "data_protection_keys";

    private DataProtectionKeyRecord()
    {
    }

    public int Id { get; private set; }

    public string? FriendlyName { get; private set; }

    /// <summary>The key's XML, its secret part encrypted with the configured certificate.</summary>
    public string? Xml { get; private set; }
}
