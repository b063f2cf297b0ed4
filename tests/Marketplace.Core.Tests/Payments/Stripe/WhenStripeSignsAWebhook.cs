using System.Diagnostics;
using System.Text;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Payments.Stripe;

/// <summary>
/// Our webhook door for Stripe (<see cref="StripeGateway.ReadWebhook"/>, which verifies with Stripe.net's
/// <c>EventUtility.ConstructEvent</c>) against Stripe's own Node library (the pinned <c>stripe</c> package in tests/js,
/// installed by scripts/test.sh): what Stripe signs we accept, what Stripe.net signs Node accepts, and each way a
/// delivery can be wrong is refused.
/// </summary>
public sealed class WhenStripeSignsAWebhook
{
    private const string Secret = "whsec_test_cross_check_secret";
    private const int Tolerance = 300;
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    // Non-ASCII on purpose: the signature is over the raw UTF-8 bytes.
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"cs_test_1\",\"customer_details\":{\"name\":\"Zoë Müller\"},\"amount_total\":2500}}}");

    [Fact]
    public async Task A_header_made_by_stripes_library_is_accepted()
    {
        var header = await StripeNodeAsync("sign", Secret, SignedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Body);

        Assert.Matches("^t=1795000000,v1=[0-9a-f]{64}$", header);
        Assert.Equal(Accepted, Verify(Body, header, Secret, SignedAt));
        Assert.Equal(Accepted, Verify(Body, header, Secret, SignedAt.AddSeconds(Tolerance)));
    }

    [Fact]
    public async Task A_header_stripe_net_makes_is_accepted_by_stripes_node_library()
    {
        var now = DateTimeOffset.UtcNow;

        var verdict = await StripeNodeAsync("verify", Secret, global::Stripe.EventUtility.GenerateSignatureHeader(Encoding.UTF8.GetString(Body), Secret, now.ToUnixTimeSeconds()), Body);

        Assert.Equal("ok", verdict);
    }

    [Fact]
    public async Task One_changed_byte_in_the_body_is_refused()
    {
        var header = await StripeHeaderAsync();
        var changed = (byte[])Body.Clone();
        changed[^5] ^= 0x01;

        Assert.Contains(NoMatch, Verify(changed, header, Secret, SignedAt), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_secret_is_refused()
    {
        var header = await StripeHeaderAsync();

        Assert.Contains(NoMatch, Verify(Body, header, "whsec_test_other_secret", SignedAt), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timestamp_older_than_the_tolerance_is_refused()
    {
        var header = await StripeHeaderAsync();

        Assert.Contains("tolerance", Verify(Body, header, Secret, SignedAt.AddSeconds(Tolerance + 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_malformed_header_is_refused()
    {
        Assert.Contains("missing", Verify(Body, null, Secret, SignedAt), StringComparison.Ordinal);
        Assert.Contains("missing", Verify(Body, " ", Secret, SignedAt), StringComparison.Ordinal);
        Assert.Contains(NoMatch, Verify(Body, "t=1795000000", Secret, SignedAt), StringComparison.Ordinal);
        Assert.Contains(NoMatch, Verify(Body, "v1=" + new string('a', 64), Secret, SignedAt), StringComparison.Ordinal);
        Assert.Contains(NoMatch, Verify(Body, "t=abc,v1=" + new string('a', 64), Secret, SignedAt), StringComparison.Ordinal);
        Assert.Contains("format", Verify(Body, "t=1795000000,garbage", Secret, SignedAt), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_of_several_v1_signatures_may_match_while_a_secret_is_rolled_and_other_schemes_are_ignored()
    {
        var stripeHeader = await StripeHeaderAsync();
        var valid = stripeHeader.Split(',')[1];
        var fromOldSecret = global::Stripe.EventUtility.GenerateSignatureHeader(Encoding.UTF8.GetString(Body), "whsec_test_old_secret", SignedAt.ToUnixTimeSeconds()).Split(',')[1];

        Assert.Equal(Accepted, Verify(Body, $"t={SignedAt.ToUnixTimeSeconds()},{fromOldSecret},{valid}", Secret, SignedAt));
        Assert.Contains(NoMatch, Verify(Body, $"t={SignedAt.ToUnixTimeSeconds()},{fromOldSecret},v0={valid[3..]}", Secret, SignedAt), StringComparison.Ordinal);
    }

    private const string Accepted = "accepted";
    private const string NoMatch = "expected signature was not found";

    /// <summary>"accepted" when the gateway takes the delivery into the inbox, else why it was refused.</summary>
    private static string Verify(byte[] body, string? header, string secret, DateTimeOffset now)
    {
        var options = new StripeOptions { SecretKey = "sk_test_unused", WebhookSecret = secret, WebhookToleranceSeconds = Tolerance };
        var gateway = new StripeGateway(new global::Stripe.StripeClient("sk_test_unused"), options, new PaymentExpiryOptions(), new ManualClock(now));
        return gateway.ReadWebhook(new WebhookDelivery(body, name => name == StripeGateway.SignatureHeader ? header : null)) switch
        {
            WebhookReading.InboxEvent { EventId: "evt_1" } => Accepted,
            WebhookReading.Rejected rejected => rejected.Detail,
            var other => other.ToString(),
        };
    }

    private static Task<string> StripeHeaderAsync() =>
        StripeNodeAsync("sign", Secret, SignedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Body);

    private static async Task<string> StripeNodeAsync(string mode, string secret, string arg, byte[] payload)
    {
        var js = FindTestsJs();
        var start = new ProcessStartInfo("node") { WorkingDirectory = js, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "stripe-signature.mjs", mode, secret, arg })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        await process.StandardInput.BaseStream.WriteAsync(payload);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {mode} failed ({process.ExitCode}): {await error}");
        return await output;
    }

    // tests/js beside this project; its node_modules come from `npm ci` (scripts/test.sh does it).
    private static string FindTestsJs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "js");
            if (File.Exists(Path.Combine(candidate, "stripe-signature.mjs")))
            {
                Assert.True(Directory.Exists(Path.Combine(candidate, "node_modules", "stripe")), $"The stripe package is not installed: run `npm ci` in {candidate} (scripts/test.sh does).");
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/js not found above " + AppContext.BaseDirectory);
    }
}
