using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

public sealed partial class WhenStartingABankTransfer(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task The_shopper_is_sent_to_the_bank_details_with_a_pending_payment()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = "1000.00", Currency = "USD", Gateway = "bank" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("payment_id").GetGuid();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal($"{MarketplaceApp.Origin}/payments/bank/{id}", body.GetProperty("payment_url").GetString());
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task The_page_shows_the_bank_account_the_amount_and_a_valid_reference()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var id = await client.StartBankTransferAsync("1250.00");

        using var response = await client.GetAsync($"/payments/bank/{id}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(BankTransferApp.BankName, html, StringComparison.Ordinal);
        Assert.Contains(BankTransferApp.AccountName, html, StringComparison.Ordinal);
        Assert.Contains(BankTransferApp.AccountNumber, html, StringComparison.Ordinal);
        Assert.Contains(BankTransferApp.SwiftCode, html, StringComparison.Ordinal);
        Assert.Contains("1,250.00 USD", html, StringComparison.Ordinal);
        Assert.Contains("<strong role=\"status\">Pending</strong>", html, StringComparison.Ordinal);
        var reference = ReferenceOnPage().Match(html).Groups[1].Value;
        Assert.True(BankReference.TryNormalize(reference, out var normalized), $"'{reference}' is not a bank reference");
        Assert.Equal(reference, normalized);
    }

    [Fact]
    public async Task Every_transfer_gets_its_own_reference()
    {
        var references = new HashSet<string>();

        // A shopper may have only a few transfers open at once, so twenty come from twenty shoppers.
        for (var i = 0; i < 20; i++)
        {
            using var client = await ApiClient.RegisteredAsync(app);
            var id = await client.StartBankTransferAsync();
            var html = await (await client.GetAsync($"/payments/bank/{id}")).Content.ReadAsStringAsync();
            Assert.True(references.Add(ReferenceOnPage().Match(html).Groups[1].Value));
        }
    }

    [Fact]
    public async Task Someone_else_cannot_see_the_bank_details_page()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var id = await owner.StartBankTransferAsync();
        using var stranger = await ApiClient.RegisteredAsync(app);

        using var response = await stranger.GetAsync($"/payments/bank/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("999.99", "USD")]
    [InlineData("999.99", "EUR")]
    [InlineData("2499999", "TZS")]
    public async Task Less_than_the_minimum_answers_422_below_minimum_and_creates_nothing(string amount, string currency)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentsBefore = await app.CountPaymentsAsync();

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = "bank" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "below_minimum");
        Assert.Equal("amount", problem.GetProperty("field").GetString());
        Assert.Contains("1,000.00 USD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
    }

    [Fact]
    public async Task The_same_value_in_another_currency_is_enough()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        await client.StartBankTransferAsync("2500000", "TZS");
    }

    [Fact]
    public async Task The_buy_credits_form_offers_bank_transfer_and_shows_the_minimum_next_to_the_amount()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var wallet = await shopper.GetHtmlAsync("/Wallet");
        Assert.Contains("value=\"bank\"", wallet, StringComparison.Ordinal);
        Assert.Contains("Bank transfer", wallet, StringComparison.Ordinal);

        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("amount", "50.00"), new("currency", "USD"), new("gateway", "bank")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("<p id=\"amount-error\" role=\"alert\">Bank transfers start at 1,000.00 USD", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_buy_credits_form_sends_the_shopper_to_the_bank_details()
    {
        using var shopper = await WebShopper.RegisterAsync(app);

        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("amount", "1000"), new("currency", "USD"), new("gateway", "bank")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Matches(BankPage(), response.Headers.Location?.ToString());
    }

    [GeneratedRegex("<strong class=\"bank-reference\">([^<]+)</strong>")]
    private static partial Regex ReferenceOnPage();

    [GeneratedRegex("^http://localhost/payments/bank/[0-9a-f-]{36}$")]
    private static partial Regex BankPage();
}
