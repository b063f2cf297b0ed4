using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Wallet;

public sealed class WhenReadingWalletHistory(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task Transactions_come_newest_first_with_snake_case_kinds()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        await TopUpAsync(client, "25.00");

        var page = await client.GetJsonAsync("/api/wallet/transactions");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["top_up", "welcome_grant"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(["25.00", "1000.00"], items.Select(i => i.GetProperty("amount").GetString()));
        Assert.Equal(["1025.00", "1000.00"], items.Select(i => i.GetProperty("balance_after").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Paging_with_limit_and_before_visits_every_entry_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        foreach (var amount in new[] { "1.00", "2.00", "3.00", "4.00" })
        {
            await TopUpAsync(client, amount);
        }

        var seen = new List<long>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync(cursor is null ? "/api/wallet/transactions?limit=2" : $"/api/wallet/transactions?limit=2&before={cursor}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items.Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(id => id), seen);
        var all = await client.GetJsonAsync("/api/wallet/transactions?limit=100");
        Assert.Equal(seen, all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task A_user_sees_only_their_own_entries()
    {
        using var rich = await ApiClient.RegisteredAsync(app);
        await TopUpAsync(rich, "50.00");
        using var other = await ApiClient.RegisteredAsync(app);

        var page = await other.GetJsonAsync("/api/wallet/transactions");

        var only = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("welcome_grant", only.GetProperty("kind").GetString());
    }

    private async Task TopUpAsync(ApiClient client, string amount)
    {
        var id = await client.InitiateTopUpAsync(amount, "USD");
        using var scope = app.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(id, PaymentOutcome.Succeeded);
        Assert.IsType<CompletionResult.Completed>(result);
    }
}
