using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.BankTransfer;
using Marketplace.Web.Tests.Payments.ClickPesa;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments;

/// <summary>The app with every gateway of the registry configured, each against its fake.</summary>
public sealed class AllGatewaysApp : MarketplaceApp, IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;

    public FakeClickPesa ClickPesa { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        ClickPesa = await FakeClickPesa.StartAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        await ClickPesa.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Stripe.AppSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("CLICKPESA_CLIENT_ID", FakeClickPesa.ClientId);
        builder.UseSetting("CLICKPESA_API_KEY", FakeClickPesa.ApiKey);
        builder.UseSetting("CLICKPESA_CHECKSUM_KEY", FakeClickPesa.ChecksumKey);
        builder.UseSetting("CLICKPESA_API_BASE", ClickPesa.ApiBase.AbsoluteUri);
        builder.UseSetting("BANK_NAME", BankTransferApp.BankName);
        builder.UseSetting("BANK_ACCOUNT_NAME", BankTransferApp.AccountName);
        builder.UseSetting("BANK_ACCOUNT_NUMBER", BankTransferApp.AccountNumber);
        builder.UseSetting("BANK_SWIFT_CODE", BankTransferApp.SwiftCode);
    }
}

/// <summary>
/// Everything a gateway is to the app comes from the one registry (<see cref="PaymentGateways"/>): the Payment method
/// choices in its order, the CSP form-action origins, one webhook route for all, and the clearing accounts.
/// </summary>
public sealed partial class WhenGatewaysComeFromTheRegistry(AllGatewaysApp app) : IClassFixture<AllGatewaysApp>
{
    [Fact]
    public async Task The_payment_method_choices_keep_their_order_and_names()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var wallet = await shopper.GetAsync("/Wallet");
        var html = await wallet.Content.ReadAsStringAsync();

        var choices = Choice().Matches(html).Select(m => (m.Groups["value"].Value, m.Groups["label"].Value.Trim())).ToList();
        Assert.Equal([("demo", "Demo"), ("stripe", "Card (Stripe)"), ("clickpesa", "Mobile money (ClickPesa)"), ("bank", "Bank transfer")], choices);
        Assert.Equal(["demo", "stripe", "clickpesa", "bank"], PaymentGateways.Names);
    }

    [Fact]
    public async Task The_form_action_names_each_hosted_checkout_and_no_page_of_ours()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var wallet = await shopper.GetAsync("/Wallet");

        var policy = string.Join(";", wallet.Headers.GetValues("Content-Security-Policy"));
        var formAction = policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("form-action", StringComparison.Ordinal));
        Assert.Equal($"form-action 'self' {app.Stripe.BaseUrl.GetLeftPart(UriPartial.Authority)} {app.ClickPesa.ApiBase.GetLeftPart(UriPartial.Authority)}", formAction);
    }

    [Fact]
    public async Task Every_gateway_has_its_clearing_account()
    {
        using var scope = app.Services.CreateScope();
        var codes = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Accounts.Where(a => a.OwnerId == null).Select(a => a.Code).ToListAsync();

        Assert.All(PaymentGateways.Names, name => Assert.Contains(Core.Ledger.AccountCodes.Clearing(name), codes));
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("paypal")]
    public async Task A_gateway_without_webhooks_or_unknown_here_answers_404_and_stores_nothing(string gateway)
    {
        var before = await InboxCountAsync();
        using var http = app.CreateClient();

        using var response = await http.PostAsync(new Uri($"/api/webhooks/{gateway}", UriKind.Relative), Json("{\"id\":\"evt_1\",\"type\":\"x\"}"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "gateway_not_configured");
        Assert.Equal(before, await InboxCountAsync());
    }

    [Fact]
    public async Task A_demo_event_reaches_the_inbox_through_the_same_route_only_when_its_signature_matches()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var paymentId = await shopper.InitiateTopUpAsync("25.00", "USD");
        WebhookDelivery signed;
        using (var scope = app.Services.CreateScope())
        {
            var payment = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
            signed = scope.ServiceProvider.GetRequiredService<DemoGateway>().SignEvent(payment, DemoCardOutcome.Pays);
        }

        var before = await InboxCountAsync();
        using var http = app.CreateClient();
        using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/webhooks/demo", UriKind.Relative)) { Content = Json(signed.Body) };
        forged.Headers.TryAddWithoutValidation(DemoGateway.SignatureHeader, new string('0', 64));
        using (var refused = await http.SendAsync(forged))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_webhook_signature");
        }

        Assert.Equal(before, await InboxCountAsync());
        using var genuine = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/webhooks/demo", UriKind.Relative)) { Content = Json(signed.Body) };
        genuine.Headers.TryAddWithoutValidation(DemoGateway.SignatureHeader, signed.Header(DemoGateway.SignatureHeader));
        using (var accepted = await http.SendAsync(genuine))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await Eventually.PollAsync(async () => (await shopper.GetJsonAsync($"/api/payments/{paymentId}")).GetProperty("status").GetString(), s => s == "succeeded", "the demo payment to succeed");
        Assert.Equal("1025.00", await shopper.AvailableAsync());
    }

    private async Task<int> InboxCountAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.CountAsync();
    }

    private static ByteArrayContent Json(string text) => Json(System.Text.Encoding.UTF8.GetBytes(text));

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    // A gateway with a minimum has its name in a span, followed by "<small>(from …)</small>" (issue 14, defect 4).
    [GeneratedRegex("<input type=\"radio\" name=\"gateway\" value=\"(?<value>[a-z]+)\"[^>]*>\\s*(?:<span>)?(?<label>[^<]+)(?:</span>\\s*<small>[^<]*</small>\\s*)?</label>")]
    private static partial Regex Choice();
}
