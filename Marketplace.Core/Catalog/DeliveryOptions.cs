using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Catalog;

/// <summary>Digital delivery settings, read once at start; a present but invalid value stops the start with its name.</summary>
public sealed class DeliveryOptions
{
    public const string MaxFileMegabytesSetting = "Delivery:MaxFileMegabytes";
    public const int DefaultMaxFileMegabytes = 25;

    /// <summary>The largest file a seller may attach (<c>Delivery__MaxFileMegabytes</c>, whole MiB, 25 unless configured).</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileMegabytes * 1024L * 1024;

    /// <summary>Where delivery files live: <c>&lt;data directory&gt;/files</c>, one file per upload named by its id.</summary>
    public string Directory { get; init; } = string.Empty;

    /// <summary>
    /// How large an upload's whole request may be: the file plus room for the listing's other fields (a licence of
    /// <see cref="ProductListings.MaxLicenceLength"/> characters is at most 40 KB of UTF-8) and the multipart framing.
    /// </summary>
    public long MaxUploadRequestBytes => MaxFileBytes + (1024 * 1024);

    public static DeliveryOptions FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var megabytes = ConfigurationValues.PositiveInt(configuration, MaxFileMegabytesSetting, DefaultMaxFileMegabytes, max: 1024);
        return new DeliveryOptions { MaxFileBytes = megabytes * 1024L * 1024, Directory = Path.Combine(dataDirectory, "files") };
    }
}
