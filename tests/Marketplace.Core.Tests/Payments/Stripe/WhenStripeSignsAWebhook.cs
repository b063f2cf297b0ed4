using System.Diagnostics;
using System.Text;
using Marketplace.Core.Payments.Stripe;

namespace Marketplace.Core.Tests.Payments.Stripe;

/// <summary>
/// Our Stripe-Signature verifier against Stripe's own Node library (the pinned <c>stripe</c> package in tests/js,
/// installed by scripts/test.sh): what Stripe signs we accept, what we sign Stripe accepts, and each way a
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
        Assert.Equal(StripeSignatureCheck.Valid, Verify(Body, header, Secret, SignedAt));
        Assert.Equal(StripeSignatureCheck.Valid, Verify(Body, header, Secret, SignedAt.AddSeconds(Tolerance)));
    }

    [Fact]
    public async Task A_header_we_make_is_accepted_by_stripes_library()
    {
        var now = DateTimeOffset.UtcNow;

        var verdict = await StripeNodeAsync("verify", Secret, StripeWebhookVerifier.Sign(Body, Secret, now), Body);

        Assert.Equal("ok", verdict);
    }

    [Fact]
    public async Task One_changed_byte_in_the_body_is_refused()
    {
        var header = await StripeHeaderAsync();
        var changed = (byte[])Body.Clone();
        changed[^5] ^= 0x01;

        Assert.Equal(StripeSignatureCheck.NoMatchingSignature, Verify(changed, header, Secret, SignedAt));
    }

    [Fact]
    public async Task Another_secret_is_refused()
    {
        var header = await StripeHeaderAsync();

        Assert.Equal(StripeSignatureCheck.NoMatchingSignature, Verify(Body, header, "whsec_test_other_secret", SignedAt));
    }

    [Fact]
    public async Task A_timestamp_older_than_the_tolerance_is_refused()
    {
        var header = await StripeHeaderAsync();

        Assert.Equal(StripeSignatureCheck.OutsideTolerance, Verify(Body, header, Secret, SignedAt.AddSeconds(Tolerance + 1)));
    }

    [Fact]
    public void A_missing_or_malformed_header_is_refused()
    {
        Assert.Equal(StripeSignatureCheck.MissingHeader, Verify(Body, null, Secret, SignedAt));
        Assert.Equal(StripeSignatureCheck.MissingHeader, Verify(Body, " ", Secret, SignedAt));
        Assert.Equal(StripeSignatureCheck.MalformedHeader, Verify(Body, "t=1795000000", Secret, SignedAt));
        Assert.Equal(StripeSignatureCheck.MalformedHeader, Verify(Body, "v1=" + new string('a', 64), Secret, SignedAt));
        Assert.Equal(StripeSignatureCheck.MalformedHeader, Verify(Body, "t=abc,v1=" + new string('a', 64), Secret, SignedAt));
    }

    [Fact]
    public async Task Any_of_several_v1_signatures_may_match_while_a_secret_is_rolled_and_other_schemes_are_ignored()
    {
        var stripeHeader = await StripeHeaderAsync();
        var valid = stripeHeader.Split(',')[1];
        var fromOldSecret = StripeWebhookVerifier.Sign(Body, "whsec_test_old_secret", SignedAt).Split(',')[1];

        Assert.Equal(StripeSignatureCheck.Valid, Verify(Body, $"t={SignedAt.ToUnixTimeSeconds()},{fromOldSecret},{valid}", Secret, SignedAt));
        Assert.Equal(StripeSignatureCheck.NoMatchingSignature, Verify(Body, $"t={SignedAt.ToUnixTimeSeconds()},{fromOldSecret},v0={valid[3..]}", Secret, SignedAt));
    }

    private static StripeSignatureCheck Verify(byte[] body, string? header, string secret, DateTimeOffset now) =>
        StripeWebhookVerifier.Verify(body, header, Encoding.UTF8.GetBytes(secret), Tolerance, now);

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
