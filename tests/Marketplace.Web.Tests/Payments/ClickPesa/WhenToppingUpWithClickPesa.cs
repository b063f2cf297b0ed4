using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

public sealed class WhenToppingUpWithClickPesa(ClickPesaApp app) : IClassFixture<ClickPesaApp>
{
    [Fact]
    public async Task The_shopper_is_sent_to_a_checkout_link_for_an_order_reference_derived_from_the_payment()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var response = await shopper.PostJsonAsync("/api/payments/initiate", new { Amount = "25000", Currency = "TZS", Gateway = "clickpesa" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("payment_id").GetGuid();
        var reference = ClickPesaGateway.OrderReference(id);
        Assert.Matches("^[A-Z0-9]{20}$", reference);
        Assert.Equal($"{app.ClickPesa.ApiBase}checkout/{reference}", body.GetProperty("payment_url").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        var order = app.ClickPesa.FindOrder(reference);
        Assert.Equal("25000", order.TotalPrice);
        Assert.Equal("TZS", order.Currency);
        var request = app.ClickPesa.Requests.Last(r => r.Path == "/third-parties/checkout-link/generate-checkout-url");
        Assert.StartsWith("Bearer ", request.Authorization, StringComparison.Ordinal);
        Assert.Contains("\"checksum\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usd_amounts_go_with_two_decimals_and_other_currencies_are_refused()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper, "12.5", "USD");

        using var eur = await shopper.PostJsonAsync("/api/payments/initiate", new { Amount = "10.00", Currency = "EUR", Gateway = "clickpesa" });

        Assert.Equal("12.50", app.ClickPesa.FindOrder(reference).TotalPrice);
        Assert.Equal("USD", app.ClickPesa.FindOrder(reference).Currency);
        Assert.NotEqual(Guid.Empty, id);
        await eur.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported_currency");
    }

    [Fact]
    public async Task The_buy_credits_form_offers_mobile_money()
    {
        using var shopper = await Wallet.WebShopper.RegisterAsync(app);

        var html = await shopper.GetHtmlAsync("/Wallet");

        Assert.Contains("value=\"clickpesa\"", html, StringComparison.Ordinal);
        Assert.Contains("Mobile money (ClickPesa)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_top_ups_share_one_token()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var before = app.ClickPesa.TokenRequests;
        await app.StartTopUpAsync(shopper);

        await app.StartTopUpAsync(shopper);
        await app.StartTopUpAsync(shopper);

        Assert.InRange(app.ClickPesa.TokenRequests - before, 0, 1);
        Assert.True(app.ClickPesa.TokenRequests >= 1);
    }

    [Theory]
    [InlineData(400, HttpStatusCode.BadGateway, "gateway_rejected")]
    [InlineData(503, HttpStatusCode.ServiceUnavailable, "gateway_unavailable")]
    public async Task A_checkout_clickpesa_refuses_is_a_problem_and_a_failed_payment_not_a_500(int clickPesaStatus, HttpStatusCode status, string code)
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        app.ClickPesa.FailNextCheckout(clickPesaStatus, "Something is wrong");

        using var response = await shopper.PostJsonAsync("/api/payments/initiate", new { Amount = "25000", Currency = "TZS", Gateway = "clickpesa" });

        var problem = await response.AssertProblemAsync(status, code);
        var id = problem.GetProperty("payment_id").GetGuid();
        Assert.Equal("failed", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
    }
}
