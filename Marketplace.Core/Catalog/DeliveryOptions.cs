using Marketplace.Core.Settings;

namespace Marketplace.Core.Catalog;

/// <summary>Digital delivery settings (<c>Delivery__…</c>). The files themselves live in the data directory (<see cref="DeliveryFileStore"/>).</summary>
public sealed class DeliveryOptions : ISettings<DeliveryOptions>
{
    public const int DefaultMaxFileMegabytes = 25;

    /// <summary>A cap on the cap: an upload is buffered nowhere, but a request this large still ties up a connection for long.</summary>
    public const int MaxMaxFileMegabytes = 1024;

    public static string Section => "Delivery";

    /// <summary>The largest file a seller may attach, in whole MiB (<c>Delivery__MaxFileMegabytes</c>, 25 unless configured).</summary>
    public int MaxFileMegabytes { get; init; } = DefaultMaxFileMegabytes;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024;

    /// <summary>
    /// How large an upload's whole request may be: the file plus room for the listing's other fields (a licence of
    /// <see cref="ProductListings.MaxLicenceLength"/> characters is at most 40 KB of UTF-8) and the multipart framing.
    /// </summary>
    public long MaxUploadRequestBytes => MaxFileBytes + (1024 * 1024);

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.WholeNumber(nameof(MaxFileMegabytes), MaxFileMegabytes, 1, MaxMaxFileMegabytes);
    }
}
