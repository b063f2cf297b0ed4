using System.Globalization;
using System.Text;

namespace Marketplace.Core.Payments.Stripe;

public enum StripeSignatureCheck
{
    Valid,
    MissingHeader,
    MalformedHeader,
    OutsideTolerance,
    NoMatchingSignature,
}

/// <summary>
/// Checks a <c>Stripe-Signature</c> header (<c>t=…,v1=…[,v1=…]</c>) the way Stripe's libraries do: the signed payload
/// is <c>"{t}.{raw body bytes}"</c>, HMAC-SHA256 keyed with the whole <c>whsec_…</c> string; any one v1 may match
/// (several appear while a secret is rolled); other schemes are ignored; the timestamp must be within the tolerance
/// of our clock either way.
/// </summary>
public sealed class StripeWebhookVerifier(StripeOptions options, TimeProvider clock)
{
    public const string HeaderName = "Stripe-Signature";

    public StripeSignatureCheck Verify(ReadOnlySpan<byte> body, string? header) =>
        Verify(body, header, Encoding.UTF8.GetBytes(options.WebhookSecret), options.WebhookToleranceSeconds, clock.GetUtcNow());

    public static StripeSignatureCheck Verify(ReadOnlySpan<byte> body, string? header, byte[] secret, int toleranceSeconds, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return StripeSignatureCheck.MissingHeader;
        }

        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var (key, value) = (part[..equals], part[(equals + 1)..]);
            if (key == "t")
            {
                if (timestamp is not null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                {
                    return StripeSignatureCheck.MalformedHeader;
                }

                timestamp = t;
            }
            else if (key == "v1")
            {
                signatures.Add(value);
            }
        }

        if (timestamp is not { } seconds || signatures.Count == 0)
        {
            return StripeSignatureCheck.MalformedHeader;
        }

        var prefix = Encoding.ASCII.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));

        // Every candidate is checked (no early exit), so timing says nothing about which one matched.
        var matched = false;
        foreach (var signature in signatures)
        {
            matched |= Hmac.VerifyHex(secret, signed, signature);
        }

        if (!matched)
        {
            return StripeSignatureCheck.NoMatchingSignature;
        }

        var age = now.ToUnixTimeSeconds() - seconds;
        return Math.Abs(age) > toleranceSeconds ? StripeSignatureCheck.OutsideTolerance : StripeSignatureCheck.Valid;
    }

    /// <summary>A header as Stripe would send it for <paramref name="body"/>; for the fakes and the demo.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"t={t},v1={Hmac.Sha256Hex(Encoding.UTF8.GetBytes(secret), signed)}";
    }
}
