using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments;

public sealed class WhenToppingUp(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task Initiating_answers_201_with_a_pending_payment_on_the_site_origin()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = "25.00", Currency = "USD", Gateway = "demo" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("payment_id").GetGuid();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal($"{MarketplaceApp.Origin}/payments/demo/{id}", body.GetProperty("payment_url").GetString());
        Assert.Equal($"/api/payments/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task The_owner_reads_the_payment_with_decimal_strings()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var id = await client.InitiateTopUpAsync("25.00", "USD");

        var payment = await client.GetJsonAsync($"/api/payments/{id}");

        Assert.Equal(id, payment.GetProperty("payment_id").GetGuid());
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal("demo", payment.GetProperty("gateway").GetString());
        Assert.Equal("25.00", payment.GetProperty("amount").GetString());
        Assert.Equal("USD", payment.GetProperty("currency").GetString());
        Assert.Equal("25.00", payment.GetProperty("credits").GetString());
    }

    [Fact]
    public async Task Another_user_gets_404_as_if_the_payment_did_not_exist()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var id = await owner.InitiateTopUpAsync();
        using var stranger = await ApiClient.RegisteredAsync(app);

        using var response = await stranger.GetAsync($"/api/payments/{id}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
    }

    [Fact]
    public async Task An_admin_reads_anyones_payment()
    {
        using var owner = await ApiClient.RegisteredAsync(app);
        var id = await owner.InitiateTopUpAsync("12.50", "EUR");
        using var admin = await app.AdminAsync();

        var payment = await admin.GetJsonAsync($"/api/payments/{id}");

        Assert.Equal("12.50", payment.GetProperty("amount").GetString());
        Assert.Equal("EUR", payment.GetProperty("currency").GetString());
    }

    [Theory]
    [InlineData("stripe", "USD", "unknown_gateway")]
    [InlineData("bank", "USD", "unknown_gateway")]
    [InlineData("demo", "MC", "unsupported_currency")]
    [InlineData("demo", "GBP", "unsupported_currency")]
    public async Task An_unavailable_gateway_or_currency_answers_400_and_creates_nothing(string gateway, string currency, string code)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentsBefore = await app.CountPaymentsAsync();

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = "25.00", Currency = currency, Gateway = gateway });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
    }

    [Fact]
    public async Task A_tzs_top_up_buys_credits_at_the_configured_price()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var id = await client.InitiateTopUpAsync("25000", "TZS");

        var payment = await client.GetJsonAsync($"/api/payments/{id}");

        Assert.Equal("25000", payment.GetProperty("amount").GetString());
        Assert.Equal("10.00", payment.GetProperty("credits").GetString());
    }

    [Fact]
    public async Task A_successful_payment_completed_twice_credits_the_wallet_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var id = await client.InitiateTopUpAsync("25.00", "USD");

        var first = await CompleteAsync(id, PaymentOutcome.Succeeded);
        var second = await CompleteAsync(id, PaymentOutcome.Succeeded);

        Assert.False(Assert.IsType<CompletionResult.Completed>(first).AlreadyFinal);
        Assert.True(Assert.IsType<CompletionResult.Completed>(second).AlreadyFinal);
        Assert.Equal("1025.00", await client.AvailableAsync());
        var payment = await client.GetJsonAsync($"/api/payments/{id}");
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, payment.GetProperty("completed_at").ValueKind);
    }

    [Fact]
    public async Task Success_reported_concurrently_credits_the_wallet_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var id = await client.InitiateTopUpAsync("25.00", "USD");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => CompleteAsync(id, PaymentOutcome.Succeeded))));

        Assert.Single(results, r => r is CompletionResult.Completed { AlreadyFinal: false });
        Assert.All(results, r => Assert.IsType<CompletionResult.Completed>(r));
        Assert.Equal("1025.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_failed_payment_leaves_the_balance_and_a_later_success_cannot_revive_it()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var id = await client.InitiateTopUpAsync("25.00", "USD");

        await CompleteAsync(id, PaymentOutcome.Failed, "Card declined.");
        await CompleteAsync(id, PaymentOutcome.Succeeded);

        Assert.Equal("1000.00", await client.AvailableAsync());
        var payment = await client.GetJsonAsync($"/api/payments/{id}");
        Assert.Equal("failed", payment.GetProperty("status").GetString());
        Assert.Equal("Card declined.", payment.GetProperty("failure_reason").GetString());
    }

    private async Task<CompletionResult> CompleteAsync(Guid paymentId, PaymentOutcome outcome, string? reason = null)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(paymentId, outcome, reason);
    }
}
