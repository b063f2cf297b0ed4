using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>
/// One account once opened 101 bank transfers it never paid, burying a real one. Open payments are capped per user
/// (Payments__MaxOpenBankTransfers, 3; Payments__MaxOpenPayments, 10), a shopper can withdraw their own transfer to
/// free a slot, and starting payments over the API is rate-limited per user.
/// </summary>
public sealed class WhenTooManyPaymentsAreOpen(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task A_fourth_open_bank_transfer_is_refused_until_one_is_cancelled()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var first = await shopper.StartBankTransferAsync();
        await shopper.StartBankTransferAsync();
        await shopper.StartBankTransferAsync();
        var payments = await app.CountPaymentsAsync();

        using var fourth = await StartBankAsync(shopper);
        await fourth.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "too_many_open_payments");
        Assert.Equal(payments, await app.CountPaymentsAsync());

        using var cancelled = await shopper.PostAsync($"/api/payments/{first}/cancel", body: null, contentType: null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        Assert.NotEqual(Guid.Empty, await shopper.StartBankTransferAsync());
    }

    [Fact]
    public async Task Eleven_open_payments_of_any_kind_are_one_too_many()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        for (var i = 0; i < 10; i++)
        {
            await shopper.InitiateTopUpAsync("5.00");
        }

        using var eleventh = await shopper.PostJsonAsync("/api/payments/initiate", new { Amount = "5.00", Currency = "USD", Gateway = "demo" });

        await eleventh.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "too_many_open_payments");
    }

    [Fact]
    public async Task Only_the_owner_cancels_only_an_open_bank_transfer_and_an_admin_cannot_confirm_it_then()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var stranger = await ApiClient.RegisteredAsync(app);
        var transfer = await shopper.StartBankTransferAsync();
        var demo = await shopper.InitiateTopUpAsync();

        using var notTheirs = await stranger.PostAsync($"/api/payments/{transfer}/cancel", body: null, contentType: null);
        await notTheirs.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
        using var notBank = await shopper.PostAsync($"/api/payments/{demo}/cancel", body: null, contentType: null);
        await notBank.AssertProblemAsync(HttpStatusCode.Conflict, "not_cancellable");
        using var cancelled = await shopper.PostAsync($"/api/payments/{transfer}/cancel", body: null, contentType: null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        using var again = await shopper.PostAsync($"/api/payments/{transfer}/cancel", body: null, contentType: null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        using var confirm = await admin.ConfirmAsync(transfer, "1000.00");
        await confirm.AssertProblemAsync(HttpStatusCode.Conflict, "payment_closed");
        Assert.Equal(0, await app.TopUpCountAsync(transfer));
    }

    [Fact]
    public async Task The_shopper_cancels_from_the_transfer_page_without_javascript()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var transfer = await shopper.Api.StartBankTransferAsync();
        var page = $"/payments/bank/{transfer}";
        Assert.Contains("Cancel transfer", await shopper.GetHtmlAsync(page), StringComparison.Ordinal);

        using var posted = await shopper.PostFormAsync(page, $"{page}?handler=Cancel", []);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var html = await shopper.GetHtmlAsync(page);
        Assert.Contains("<strong role=\"status\">Cancelled</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Cancel transfer", html, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> StartBankAsync(ApiClient client) =>
        client.PostJsonAsync("/api/payments/initiate", new { Amount = "1000.00", Currency = "USD", Gateway = "bank" });
}

/// <summary>The app with a low per-user limit on starting payments.</summary>
public sealed class LowInitiateLimitApp : MarketplaceApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:InitiatePerMinute", "3");
    }
}

public sealed class WhenPaymentsAreStartedTooFast(LowInitiateLimitApp app) : IClassFixture<LowInitiateLimitApp>
{
    [Fact]
    public async Task The_fourth_start_in_a_minute_is_429_for_that_user_only()
    {
        using var hasty = await ApiClient.RegisteredAsync(app);
        using var other = await ApiClient.RegisteredAsync(app);
        for (var i = 0; i < 3; i++)
        {
            await hasty.InitiateTopUpAsync("5.00");
        }

        using var fourth = await hasty.PostJsonAsync("/api/payments/initiate", new { Amount = "5.00", Currency = "USD", Gateway = "demo" });

        await fourth.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(fourth.Headers.RetryAfter is not null);
        Assert.NotEqual(Guid.Empty, await other.InitiateTopUpAsync("5.00"));
    }
}
