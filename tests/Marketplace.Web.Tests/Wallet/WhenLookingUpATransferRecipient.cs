using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Web.Tests.Wallet;

/// <summary>Issue 14, defect 6: the transfer review's lookup names only verified accounts, only to signed-in users, within a budget.</summary>
public sealed class WhenLookingUpATransferRecipient(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task A_verified_account_is_named_by_its_display_name_only()
    {
        using var sender = await WebShopper.RegisterAsync(app);
        var recipient = $"recipient-{Guid.NewGuid():N}@example.test";
        using var verified = await WebShopper.RegisterAsync(app, recipient);
        await app.VerifyEmailAsync(recipient);

        using var response = await sender.GetAsync($"/api/wallet/recipient?email={Uri.EscapeDataString(recipient.ToUpperInvariant())}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["display_name"], body.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("display_name").GetString()));
    }

    [Fact]
    public async Task An_unverified_account_and_an_unknown_address_get_the_same_404()
    {
        using var sender = await WebShopper.RegisterAsync(app);
        var unverifiedEmail = $"unverified-{Guid.NewGuid():N}@example.test";
        using var unverified = await WebShopper.RegisterAsync(app, unverifiedEmail);

        using var forUnverified = await sender.GetAsync($"/api/wallet/recipient?email={Uri.EscapeDataString(unverifiedEmail)}");
        using var forUnknown = await sender.GetAsync($"/api/wallet/recipient?email={Uri.EscapeDataString($"nobody-{Guid.NewGuid():N}@example.test")}");

        Assert.Equal(HttpStatusCode.NotFound, forUnverified.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forUnknown.StatusCode);
        // Everything but the per-request trace id is the same, so the answer tells nothing about the address.
        var unknownBody = await WithoutTraceAsync(forUnknown);
        Assert.Equal(unknownBody, await WithoutTraceAsync(forUnverified));
        Assert.Contains("recipient_not_found", unknownBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_out_nobody_is_looked_up()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/api/wallet/recipient?email=admin%40example.test", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Past_the_per_user_budget_lookups_are_refused_with_429()
    {
        await using var limited = new LimitedApp();
        using var sender = await WebShopper.RegisterAsync(limited);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await sender.GetAsync($"/api/wallet/recipient?email=nobody{i}%40example.test");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
    }

    private static async Task<string> WithoutTraceAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>();
        body!.Remove("trace_id");
        return JsonSerializer.Serialize(body.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private sealed class LimitedApp : MarketplaceApp
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:RecipientLookupsPerMinute", "3");
        }
    }
}
