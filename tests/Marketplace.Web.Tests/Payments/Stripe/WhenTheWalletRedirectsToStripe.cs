using Marketplace.Core.Payments;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Web.Hosting;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// Browsers check CSP form-action on every redirect of a form submission, so the Buy credits form's redirect to the
/// hosted checkout is blocked unless the wallet page's policy names that origin.
/// </summary>
public sealed class WhenTheWalletRedirectsToStripe(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task The_wallet_pages_form_action_allows_the_hosted_checkout_and_nothing_else()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.GetAsync("/Wallet");

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var formAction = policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("form-action", StringComparison.Ordinal));
        Assert.Equal($"form-action 'self' {app.Stripe.BaseUrl.GetLeftPart(UriPartial.Authority)}", formAction);
    }

    [Fact]
    public void The_real_gateways_hosted_pages_are_named_when_their_real_apis_are_used()
    {
        var stripe = HostedCheckoutOrigin.For(StripeOptions.DefaultApiBase, StripeOptions.DefaultApiBase, "https://checkout.stripe.com");
        var clickPesa = HostedCheckoutOrigin.For(ClickPesaOptions.DefaultApiBase, ClickPesaOptions.DefaultApiBase, "https://*.clickpesa.com");

        Assert.Equal(
            SecurityHeadersExtensions.ContentSecurityPolicy + " https://checkout.stripe.com https://*.clickpesa.com",
            SecurityHeadersExtensions.PolicyFor([stripe, clickPesa, stripe]));
    }
}
