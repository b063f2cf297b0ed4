using Marketplace.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY (both, or neither: then the gateway is not offered),
/// CLICKPESA_CHECKSUM_KEY (required with them: signs our requests and verifies webhooks), CLICKPESA_API_BASE and
/// <c>ClickPesa__TokenRenewBefore</c>.
/// </summary>
public sealed class ClickPesaOptions : ISettings<ClickPesaOptions>
{
    public static readonly Uri DefaultApiBase = new("https://api.clickpesa.com/third-parties/");

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly Uri _apiBase = DefaultApiBase;

    public static string Section => string.Empty;

    [ConfigurationKeyName("CLICKPESA_CLIENT_ID")]
    public string ClientId { get; init; } = string.Empty;

    [ConfigurationKeyName("CLICKPESA_API_KEY")]
    public string ApiKey { get; init; } = string.Empty;

    /// <summary>Without it anyone could post webhooks that are stored and parked, so ClickPesa is not started without it.</summary>
    [ConfigurationKeyName("CLICKPESA_CHECKSUM_KEY")]
    public string ChecksumKey { get; init; } = string.Empty;

    /// <summary>Always ends with a slash, so relative paths append to it.</summary>
    [ConfigurationKeyName("CLICKPESA_API_BASE")]
    public Uri ApiBase
    {
        get => _apiBase;
        init => _apiBase = value is { IsAbsoluteUri: true } && !value.AbsoluteUri.EndsWith('/') ? new Uri(value.AbsoluteUri + "/") : value;
    }

    /// <summary>ClickPesa's tokens live one hour; we renew this long before that (<c>ClickPesa:TokenRenewBefore</c>).</summary>
    [ConfigurationKeyName("ClickPesa:TokenRenewBefore")]
    public TimeSpan TokenRenewBefore { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>ClickPesa is offered only with its client id and API key.</summary>
    public bool IsConfigured => ClientId.Length > 0 && ApiKey.Length > 0;

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (ClientId.Length == 0 && ApiKey.Length == 0)
        {
            return;
        }

        if (!IsConfigured)
        {
            check.Missing(check.Key(ClientId.Length == 0 ? nameof(ClientId) : nameof(ApiKey)), "ClickPesa needs CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY together");
            return;
        }

        if (ChecksumKey.Length == 0)
        {
            check.Missing(check.Key(nameof(ChecksumKey)), "with CLICKPESA_CLIENT_ID and CLICKPESA_API_KEY set, webhooks must be verifiable (copy the checksum key from ClickPesa's dashboard)");
        }

        check.HttpUrl(nameof(ApiBase), ApiBase);
        check.PositiveTimeSpan(nameof(TokenRenewBefore), TokenRenewBefore);
        if (TokenRenewBefore >= TokenLifetime)
        {
            check.Invalid(check.Key(nameof(TokenRenewBefore)), "a time span shorter than the token's hour, such as 00:05:00");
        }
    }
}
