using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY (both, or neither: then the gateway is not offered),
/// CLICKPESA_CHECKSUM_KEY (required with them: signs our requests and verifies webhooks) and CLICKPESA_API_BASE.
/// </summary>
public sealed class ClickPesaOptions
{
    public static readonly Uri DefaultApiBase = new("https://api.clickpesa.com/third-parties/");

    public required string ClientId { get; init; }

    public required string ApiKey { get; init; }

    /// <summary>Without it anyone could post webhooks that are stored and parked, so ClickPesa is not started without it.</summary>
    public required string ChecksumKey { get; init; }

    /// <summary>Always ends with a slash, so relative paths append to it.</summary>
    public Uri ApiBase { get; init; } = DefaultApiBase;

    /// <summary>ClickPesa's tokens live one hour; we renew this long before that (<c>ClickPesa:TokenRenewBefore</c>).</summary>
    public TimeSpan TokenRenewBefore { get; init; } = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public static ClickPesaOptions? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var clientId = ConfigurationValues.Text(configuration, "CLICKPESA_CLIENT_ID");
        var apiKey = ConfigurationValues.Text(configuration, "CLICKPESA_API_KEY");
        if (clientId is null && apiKey is null)
        {
            return null;
        }

        if (clientId is null || apiKey is null)
        {
            var missing = clientId is null ? "CLICKPESA_CLIENT_ID" : "CLICKPESA_API_KEY";
            throw new InvalidOperationException($"Configuration '{missing}' is missing: ClickPesa needs CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY together.");
        }

        var checksumKey = ConfigurationValues.Text(configuration, "CLICKPESA_CHECKSUM_KEY")
            ?? throw new InvalidOperationException("Configuration 'CLICKPESA_CHECKSUM_KEY' is missing: with CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY set, webhooks must be verifiable (copy the checksum key from ClickPesa's dashboard).");
        var apiBase = ConfigurationValues.HttpUrl(configuration, "CLICKPESA_API_BASE") ?? DefaultApiBase;
        var renewBefore = ConfigurationValues.PositiveTimeSpan(configuration, "ClickPesa:TokenRenewBefore", TimeSpan.FromMinutes(5));
        if (renewBefore >= TokenLifetime)
        {
            throw ConfigurationValues.Invalid("ClickPesa:TokenRenewBefore", "a time span shorter than the token's hour, such as 00:05:00");
        }

        return new ClickPesaOptions
        {
            ClientId = clientId,
            ApiKey = apiKey,
            ChecksumKey = checksumKey,
            ApiBase = apiBase.AbsoluteUri.EndsWith('/') ? apiBase : new Uri(apiBase.AbsoluteUri + "/"),
            TokenRenewBefore = renewBefore,
        };
    }
}
