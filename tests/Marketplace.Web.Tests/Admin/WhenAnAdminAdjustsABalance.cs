using System.Net;
using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Admin;

public sealed class WhenAnAdminAdjustsABalance(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task A_credit_and_a_debit_move_the_balance_against_the_adjustments_account_and_are_audited()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(shopper.User.Email);
        var adjustmentsBefore = await app.BalanceUnitsAsync(AccountCodes.Adjustments);

        var credit = await AdjustOkAsync(admin, userId, "25.00", "Goodwill for the outage");
        var debit = await AdjustOkAsync(admin, userId, "-5.50", "Reversing a duplicate goodwill credit");

        Assert.Equal("1025.00", credit.GetProperty("available").GetString());
        Assert.Equal("1019.50", debit.GetProperty("available").GetString());
        Assert.Equal("-5.50", debit.GetProperty("amount").GetString());
        Assert.Equal("1019.50", await shopper.AvailableAsync());
        Assert.Equal(adjustmentsBefore - 19_50, await app.BalanceUnitsAsync(AccountCodes.Adjustments));
        var history = await shopper.HistoryAsync();
        Assert.Equal(["admin_adjustment", "admin_adjustment"], history.Take(2).Select(h => h.GetProperty("kind").GetString()));
        var audit = await app.AuditAsync($"user:{userId}");
        Assert.Equal(["Goodwill for the outage", "Reversing a duplicate goodwill credit"], audit.Select(a => a.Reason));
        Assert.All(audit, a => Assert.Equal(AdminApp.AdminEmail, a.AdminEmail));
        Assert.All(audit, a => Assert.Equal("balance.adjust", a.Action));
        Assert.Contains("\"amount\":\"-5.50\"", audit[1].Details, StringComparison.Ordinal);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_same_request_again_adjusts_once()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(shopper.User.Email);
        var key = Guid.NewGuid().ToString("N");

        var first = await AdjustOkAsync(admin, userId, "10.00", "Promo", key);
        var again = await AdjustOkAsync(admin, userId, "10.00", "Promo", key);

        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("transaction_id").GetInt64(), again.GetProperty("transaction_id").GetInt64());
        Assert.Equal("1010.00", await shopper.AvailableAsync());
        Assert.Single(await app.AuditAsync($"user:{userId}"));
        using var otherAmount = await AdjustAsync(admin, userId, "11.00", "Promo", key);
        await otherAmount.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_key_reused");
    }

    [Fact]
    public async Task A_debit_below_zero_is_refused_and_changes_nothing()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(shopper.User.Email);
        await AdjustOkAsync(admin, userId, "-1000.00", "Closing the demo grant");
        var adjustmentsBefore = await app.BalanceUnitsAsync(AccountCodes.Adjustments);

        using var refused = await AdjustAsync(admin, userId, "-0.01", "One cent too far");

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "would_go_negative");
        Assert.Contains("0.00 MC", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("0.00", await shopper.AvailableAsync());
        Assert.Equal(adjustmentsBefore, await app.BalanceUnitsAsync(AccountCodes.Adjustments));
        Assert.Single(await app.AuditAsync($"user:{userId}"));
        await app.AssertLedgerConsistentAsync();
    }

    [Theory]
    [InlineData("abc", "reason", "invalid_amount")]
    [InlineData("0", "reason", "invalid_amount")]
    [InlineData("-0.00", "reason", "invalid_amount")]
    [InlineData("--5", "reason", "invalid_amount")]
    [InlineData("1.001", "reason", "amount_too_precise")]
    [InlineData("10.00", "", "reason_required")]
    [InlineData("10.00", "   ", "reason_required")]
    public async Task Bad_input_is_refused_with_its_own_code(string amount, string reason, string code)
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var userId = await app.UserIdAsync(shopper.User.Email);

        using var response = await AdjustAsync(admin, userId, amount, reason);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_missing_key_or_an_unknown_user_is_refused()
    {
        using var admin = await app.AdminAsync();

        using var noKey = await admin.PostJsonAsync($"/api/admin/users/{Guid.NewGuid()}/adjust", new { Amount = "1.00", Reason = "x" });
        using var unknown = await AdjustAsync(admin, Guid.NewGuid(), "1.00", "x");

        await noKey.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_idempotency_key");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "user_not_found");
    }

    private static Task<HttpResponseMessage> AdjustAsync(ApiClient admin, Guid userId, string amount, string reason, string? key = null) =>
        admin.PostJsonAsync($"/api/admin/users/{userId}/adjust", new { Amount = amount, Reason = reason, IdempotencyKey = key ?? Guid.NewGuid().ToString("N") });

    internal static async Task<JsonElement> AdjustOkAsync(ApiClient admin, Guid userId, string amount, string reason, string? key = null)
    {
        using var response = await AdjustAsync(admin, userId, amount, reason, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Adjust answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }
}
