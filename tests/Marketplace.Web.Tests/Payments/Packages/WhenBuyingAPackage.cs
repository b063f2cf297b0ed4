using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>
/// The demo configuration's Popular package (500.00 MC, 10 % bonus, 44.99 USD) bought through the wallet's form and the
/// demo checkout: the credits post as the top-up, the bonus as its own grant from promotions, each once.
/// </summary>
public sealed class WhenBuyingAPackage(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_demo_card_credits_the_credits_and_the_bonus_once_each_through_the_inbox()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoPackageAsync("popular");

        var checkout = await shopper.GetHtmlAsync($"/payments/demo/{paymentId}");
        Assert.Contains("44.99 USD", checkout, StringComparison.Ordinal);
        Assert.Contains("500.00 MC and a bonus of 50.00 MC", checkout, StringComparison.Ordinal);
        Assert.Equal("succeeded", await shopper.PayOnDemoCheckoutAsync(paymentId, PackageTesting.PayingCard));

        Assert.Equal("1550.00", await shopper.AvailableBalanceAsync());
        Assert.Equal((1, 1), await app.GrantsAsync(paymentId));
        var history = await shopper.Client.HistoryAsync();
        Assert.Equal(("bonus_grant", "Bonus 10 % on Popular", "50.00"), history[0]);
        Assert.Equal("top_up", history[1].Kind);
        Assert.Equal("500.00", history[1].Amount);
        Assert.Contains("Popular package", history[1].Description, StringComparison.Ordinal);
        using var scope = app.Services.CreateScope();
        var row = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().SingleAsync(i => i.EventId == DemoGateway.EventId(paymentId));
        Assert.Equal(WebhookStatus.Done, row.Status);
        Assert.Equal(paymentId, row.PaymentId);
    }

    [Fact]
    public async Task The_return_page_statement_and_history_show_the_bonus_as_its_own_line()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoPackageAsync("popular");
        await shopper.PayOnDemoCheckoutAsync(paymentId, PackageTesting.PayingCard);

        var status = await shopper.GetHtmlAsync($"/payments/{paymentId}");
        var wallet = WebUtility.HtmlDecode(await shopper.GetHtmlAsync("/Wallet"));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var statement = await shopper.GetAsync($"/Wallet/Statement?from={today}&to={today}");
        var csv = await statement.Content.ReadAsStringAsync();

        Assert.Contains("500.00 MC and a bonus of 50.00 MC added to your wallet for 44.99 USD.", status, StringComparison.Ordinal);
        Assert.Contains("Bonus 10 % on Popular", wallet, StringComparison.Ordinal);
        Assert.Contains("Bonus grant", wallet, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, statement.StatusCode);
        Assert.Contains(",bonus_grant,Bonus 10 % on Popular,50.00,1550.00", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_or_completions_racing_grant_the_bonus_once()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.Api.InitiatePackageAsync("popular");
        using var scope = app.Services.CreateScope();
        var payment = await scope.ServiceProvider.GetRequiredService<PaymentService>().FindForAsync(paymentId, shopper.UserId, isAdmin: false);
        var signed = scope.ServiceProvider.GetRequiredService<DemoGateway>().SignEvent(payment!, DemoCardOutcome.Pays);

        var receipts = new List<WebhookReceipt>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var delivery = app.Services.CreateScope();
            receipts.Add(await delivery.ServiceProvider.GetRequiredService<WebhookReceiver>().ReceiveAsync(DemoGateway.GatewayName, signed, CancellationToken.None));
            delivery.ServiceProvider.GetRequiredService<Marketplace.Web.Jobs.WebhookInboxTrigger>().RequestRun();
        }

        Assert.Equal("succeeded", await shopper.FinalPaymentStatusAsync(paymentId));
        // A completion reported again, several times at once, after the event was applied (another gateway event, a retried job).
        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var completing = app.Services.CreateScope();
            return await completing.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(paymentId, PaymentOutcome.Succeeded, null, CompletionDetails.MoneyCollected);
        })));

        Assert.Equal([AcceptResult.Accepted, AcceptResult.Duplicate], receipts.Select(r => Assert.IsType<WebhookReceipt.Stored>(r).Result));
        Assert.All(again, r => Assert.True(Assert.IsType<CompletionResult.Completed>(r).AlreadyFinal));
        Assert.Equal((1, 1), await app.GrantsAsync(paymentId));
        Assert.Equal("1550.00", await shopper.AvailableBalanceAsync());
    }

    [Fact]
    public async Task Completions_racing_on_an_open_payment_grant_the_credits_and_the_bonus_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await client.InitiatePackageAsync("plus");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            using var scope = app.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(paymentId, PaymentOutcome.Succeeded);
        })));

        Assert.Single(results, r => r is CompletionResult.Completed { AlreadyFinal: false });
        Assert.Equal((1, 1), await app.GrantsAsync(paymentId));
        Assert.Equal("2200.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_declined_card_grants_neither_credits_nor_bonus()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var paymentId = await shopper.StartDemoPackageAsync("mega");

        Assert.Equal("failed", await shopper.PayOnDemoCheckoutAsync(paymentId, PackageTesting.DecliningCard));

        Assert.Equal("1000.00", await shopper.AvailableBalanceAsync());
        Assert.Equal((0, 0), await app.GrantsAsync(paymentId));
        Assert.Equal(["welcome_grant"], (await shopper.Client.HistoryAsync()).Select(h => h.Kind));
    }

    [Fact]
    public async Task A_package_without_a_bonus_credits_its_credits_and_grants_no_bonus()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await client.InitiatePackageAsync("starter");
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(paymentId, PaymentOutcome.Succeeded);
        }

        var payment = await client.GetJsonAsync($"/api/payments/{paymentId}");
        Assert.Equal("9.99", payment.GetProperty("amount").GetString());
        Assert.Equal("100.00", payment.GetProperty("credits").GetString());
        Assert.Equal("0.00", payment.GetProperty("bonus").GetString());
        Assert.Equal((1, 0), await app.GrantsAsync(paymentId));
        Assert.Equal("1100.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task The_payment_records_the_package_its_price_credits_and_bonus()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        var paymentId = await client.InitiatePackageAsync("popular");

        var payment = await client.GetJsonAsync($"/api/payments/{paymentId}");
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal("popular", payment.GetProperty("package_id").GetString());
        Assert.Equal("44.99", payment.GetProperty("amount").GetString());
        Assert.Equal("USD", payment.GetProperty("currency").GetString());
        Assert.Equal("500.00", payment.GetProperty("credits").GetString());
        Assert.Equal("50.00", payment.GetProperty("bonus").GetString());
        var custom = await client.GetJsonAsync($"/api/payments/{await client.InitiateTopUpAsync()}");
        Assert.Equal(JsonValueKind.Null, custom.GetProperty("package_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, custom.GetProperty("bonus").ValueKind);
    }

    [Fact]
    public async Task An_amount_sent_with_a_package_must_be_its_price()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var before = await app.CountPaymentsAsync();

        using var wrong = await client.PostJsonAsync("/api/payments/initiate", new { PackageId = "popular", Amount = "40.00", Currency = "USD", Gateway = "demo" });
        var problem = await wrong.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "price_mismatch");
        Assert.Equal("44.99", problem.GetProperty("expected_amount").GetString());
        Assert.Equal(before, await app.CountPaymentsAsync());

        using var right = await client.PostJsonAsync("/api/payments/initiate", new { PackageId = "popular", Amount = "44.99", Currency = "USD", Gateway = "demo" });
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Theory]
    [InlineData("gold", "USD", HttpStatusCode.BadRequest, "unknown_package")]
    [InlineData("", "USD", HttpStatusCode.BadRequest, "unknown_package")]
    [InlineData("popular", "EUR", HttpStatusCode.BadRequest, "unsupported_currency")]
    [InlineData("popular", "MC", HttpStatusCode.BadRequest, "unsupported_currency")]
    public async Task An_unknown_package_or_one_not_sold_in_the_currency_is_refused_and_nothing_is_created(string packageId, string currency, HttpStatusCode status, string code)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var before = await app.CountPaymentsAsync();

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { PackageId = packageId, Currency = currency, Gateway = "demo" });

        await response.AssertProblemAsync(status, code);
        Assert.Equal(before, await app.CountPaymentsAsync());
    }

    [Fact]
    public async Task The_buy_credits_dialog_offers_the_packages_as_radio_cards_beside_a_custom_amount()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        var html = WebUtility.HtmlDecode(await shopper.GetHtmlAsync("/Wallet"));

        Assert.Contains("<legend>What to buy</legend>", html, StringComparison.Ordinal);
        foreach (var id in new[] { "starter", "popular", "plus", "mega" })
        {
            Assert.Contains($"<input type=\"radio\" name=\"package_id\" value=\"{id}\" />", html, StringComparison.Ordinal);
        }

        Assert.Contains("<input id=\"package-custom\" type=\"radio\" name=\"package_id\" value=\"\" checked=\"checked\" />", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Custom</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>Popular</strong>", html, StringComparison.Ordinal);
        Assert.Contains("+ 50.00 MC bonus (10 %)", html, StringComparison.Ordinal);
        Assert.Contains("44.99 USD <small>(0.0818 USD per credit)</small>", html, StringComparison.Ordinal);
        Assert.Contains("349.99 USD <small>(0.0538 USD per credit)</small>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"amount\">Amount</label>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_refused_on_the_form_keeps_the_choice_and_says_why_beside_the_field()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var before = await app.CountPaymentsAsync();

        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("package_id", "popular"), new("amount", "oops"), new("currency", "EUR"), new("gateway", "demo")]);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p id=\"currency-error\" role=\"alert\">The Popular package is not sold in EUR; it is sold in USD.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"radio\" name=\"package_id\" value=\"popular\" checked=\"checked\" />", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.CountPaymentsAsync());
    }
}
