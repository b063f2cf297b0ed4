using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Htmx;
using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Wallet;

/// <summary>A registered, signed-in shopper with a cookie-keeping client, for page tests over HTTP.</summary>
public sealed partial class WebShopper : IDisposable
{
    private readonly MarketplaceApp _app;

    private WebShopper(MarketplaceApp app, ApiClient api, Guid userId)
    {
        _app = app;
        Api = api;
        UserId = userId;
    }

    /// <summary>The same signed-in session as a JSON API client (with the user's key, for signed intents).</summary>
    public ApiClient Api { get; }

    public HttpClient Client => Api.Http;

    public Guid UserId { get; }

    /// <summary>Registers through the JSON API the way auth.js does, with <see cref="ApiClient"/>, and keeps its signed-in client.</summary>
    public static async Task<WebShopper> RegisterAsync(MarketplaceApp app, string? email = null)
    {
        var api = ApiClient.For(app);
        using var response = await api.RegisterAsync(TestUser.New(email));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new WebShopper(app, api, session.GetProperty("user_id").GetGuid());
    }

    /// <summary>Registers, verifies the email through the mailed link and is granted the admin role (as the admin command does).</summary>
    public static async Task<WebShopper> RegisterAdminAsync(MarketplaceApp app, string email)
    {
        ArgumentNullException.ThrowIfNull(app);
        var shopper = await RegisterAsync(app, email);
        await app.VerifyEmailAsync(email);
        await app.GrantAdminAsync(email);
        return shopper;
    }

    /// <summary>Posts a page form the way a browser does: with the antiforgery token the page at <paramref name="formPage"/> rendered.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields) =>
        PostFormAsync(Client, formPage, action, fields);

    /// <summary>The same for any signed-in client (an admin's, say).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var page = await client.GetAsync(new Uri(formPage, UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var token = CsrfMeta().Match(html) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"{formPage} ({(int)page.StatusCode}) rendered no antiforgery token.");
        using var form = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(new Uri(action, UriKind.Relative), form);
    }

    public Task<HttpResponseMessage> GetAsync(string path, bool htmx = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (htmx)
        {
            request.Headers.Add(HtmxRequestHeaders.Keys.Request, "true");
        }

        return Client.SendAsync(request);
    }

    public async Task<string> GetHtmlAsync(string path, bool htmx = false)
    {
        using var response = await GetAsync(path, htmx);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Starts a demo top-up through the Buy credits form and returns the payment id from the redirect.</summary>
    public async Task<Guid> StartDemoTopUpAsync(string amount)
    {
        using var response = await PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("amount", amount), new("currency", "USD"), new("gateway", "demo")]);
        var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException($"Buy credits answered {(int)response.StatusCode} without a redirect.");
        return Guid.Parse(DemoCheckoutPath().Match(location).Groups[1].Value);
    }

    /// <summary>Paid top-ups straight through PaymentService, the same calls the demo checkout makes.</summary>
    public async Task PaidTopUpsAsync(int count)
    {
        using var scope = _app.Services.CreateScope();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        for (var dollars = 1; dollars <= count; dollars++)
        {
            var started = Assert.IsType<InitiateResult.Started>(await payments.InitiateAsync(UserId, $"{dollars}.00", "USD", "demo", new Uri(MarketplaceApp.Origin)));
            Assert.IsType<CompletionResult.Completed>(await payments.CompleteAsync(started.Payment.Id, PaymentOutcome.Succeeded));
        }
    }

    /// <summary>Polls the payment API until the payment is no longer pending (the inbox job applied the card's decision).</summary>
    public async Task<string> FinalPaymentStatusAsync(Guid paymentId)
    {
        return await Eventually.PollAsync(
            async () => (await Client.GetFromJsonAsync<JsonElement>(new Uri($"/api/payments/{paymentId}", UriKind.Relative))).GetProperty("status").GetString()!,
            status => status is not ("pending" or "created"),
            $"payment {paymentId} to be decided");
    }

    public async Task<string> AvailableBalanceAsync()
    {
        var balance = await Client.GetFromJsonAsync<JsonElement>(new Uri("/api/wallet/balance", UriKind.Relative));
        return balance.GetProperty("available").GetString()!;
    }

    public void Dispose() => Api.Dispose();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();

    [GeneratedRegex("/payments/demo/([0-9a-f-]{36})$")]
    private static partial Regex DemoCheckoutPath();
}
