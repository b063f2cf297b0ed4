using System.Net;
using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests.Admin;

/// <summary>
/// Each case edits the SQLite file directly, expects the run to name the change with its ids and <c>/readyz</c>
/// to turn degraded, then undoes the edit and expects the next clean run to make the app ready again.
/// </summary>
public sealed class WhenTheLedgerIsTamperedWith(ReconciliationApp app) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public async Task An_edited_balance_is_reported_and_readiness_degrades_until_a_clean_run()
    {
        var shopper = await ShopperAsync();
        var account = shopper.AvailableId;

        Assert.Equal(1, await app.TamperAsync("UPDATE \"accounts\" SET \"Balance\" = \"Balance\" + 1 WHERE \"Id\" = $id", ("$id", account)));
        var run = await app.ReconcileAsync();
        Assert.Equal([(ReconciliationChecks.AccountBalance, account)], Found(run, "account_id"));
        await AssertDegradedAsync();

        await app.TamperAsync("UPDATE \"accounts\" SET \"Balance\" = \"Balance\" - 1 WHERE \"Id\" = $id", ("$id", account));
        await AssertReadyAfterCleanRunAsync();
    }

    [Fact]
    public async Task An_edited_entry_amount_is_reported_by_the_balance_checks_and_the_chain()
    {
        var shopper = await ShopperAsync();
        var entry = await app.QueryAsync(db => db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == shopper.AvailableId).OrderBy(e => e.Id).FirstAsync());

        await app.TamperAsync("UPDATE \"ledger_entries\" SET \"Amount\" = \"Amount\" - 1 WHERE \"Id\" = $id", ("$id", entry.Id));
        var run = await app.ReconcileAsync();
        Assert.Contains((ReconciliationChecks.TransactionBalances, entry.TransactionId), Found(run, "transaction_id"));
        Assert.Contains((ReconciliationChecks.Chain, entry.TransactionId), Found(run, "transaction_id"));
        Assert.Contains((ReconciliationChecks.AccountBalance, shopper.AvailableId), Found(run, "account_id"));
        Assert.Contains((ReconciliationChecks.BalanceAfter, entry.Id), Found(run, "entry_id"));
        await AssertDegradedAsync();

        await app.TamperAsync("UPDATE \"ledger_entries\" SET \"Amount\" = \"Amount\" + 1 WHERE \"Id\" = $id", ("$id", entry.Id));
        await AssertReadyAfterCleanRunAsync();
    }

    [Fact]
    public async Task A_deleted_entry_is_reported_for_its_transaction_and_account()
    {
        var shopper = await ShopperAsync();
        var entry = await app.QueryAsync(db => db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == shopper.AvailableId).OrderByDescending(e => e.Id).FirstAsync());

        await app.TamperAsync("DELETE FROM \"ledger_entries\" WHERE \"Id\" = $id", ("$id", entry.Id));
        var run = await app.ReconcileAsync();
        Assert.Contains((ReconciliationChecks.TransactionBalances, entry.TransactionId), Found(run, "transaction_id"));
        Assert.Contains((ReconciliationChecks.Chain, entry.TransactionId), Found(run, "transaction_id"));
        Assert.Contains((ReconciliationChecks.AccountBalance, shopper.AvailableId), Found(run, "account_id"));
        await AssertDegradedAsync();

        await app.TamperAsync(
            "INSERT INTO \"ledger_entries\" (\"Id\", \"TransactionId\", \"AccountId\", \"Amount\", \"BalanceAfter\") VALUES ($id, $transaction, $account, $amount, $after)",
            ("$id", entry.Id), ("$transaction", entry.TransactionId), ("$account", entry.AccountId), ("$amount", entry.Amount), ("$after", entry.BalanceAfter));
        await AssertReadyAfterCleanRunAsync();
    }

    [Fact]
    public async Task A_payment_marked_succeeded_without_a_top_up_is_reported_by_payment_id()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var payment = await shopper.StartDemoTopUpAsync("12.00");

        var stored = await app.QueryAsync(db => db.Payments.AsNoTracking().Select(p => new { p.Id, p.Status }).SingleAsync(p => p.Id == payment));
        await app.TamperAsync("UPDATE \"payments\" SET \"Status\" = $status WHERE \"Id\" = $id", ("$status", (int)PaymentStatus.Succeeded), ("$id", payment.ToString().ToUpperInvariant()));
        var run = await app.ReconcileAsync();
        var found = Assert.Single(run.GetProperty("discrepancies").EnumerateArray());
        Assert.Equal(ReconciliationChecks.PaymentTopUp, found.GetProperty("check").GetString());
        Assert.Equal(payment, found.GetProperty("payment_id").GetGuid());
        await AssertDegradedAsync();

        await app.TamperAsync("UPDATE \"payments\" SET \"Status\" = $status WHERE \"Id\" = $id", ("$status", (int)stored.Status), ("$id", payment.ToString().ToUpperInvariant()));
        await AssertReadyAfterCleanRunAsync();
    }

    [Fact]
    public async Task An_altered_chain_link_is_reported_at_that_transaction()
    {
        var shopper = await ShopperAsync();
        var link = await app.QueryAsync(db => db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == shopper.AvailableId).Select(e => e.Transaction).OrderBy(t => t.Id).FirstAsync());

        await app.TamperAsync("UPDATE \"ledger_transactions\" SET \"PreviousHash\" = $forged WHERE \"Id\" = $id", ("$forged", new string('e', 64)), ("$id", link.Id));
        var run = await app.ReconcileAsync();
        var found = Assert.Single(run.GetProperty("discrepancies").EnumerateArray(), d => d.GetProperty("check").GetString() == ReconciliationChecks.Chain);
        Assert.Equal(link.Id, found.GetProperty("transaction_id").GetInt64());
        // The previous hash is part of the transaction's leaf too: the stored tree (and any checkpoint over it) no longer matches it.
        Assert.All(run.GetProperty("discrepancies").EnumerateArray(), d => Assert.Contains(d.GetProperty("check").GetString(), new[] { ReconciliationChecks.Chain, ReconciliationChecks.MerkleTree, ReconciliationChecks.Checkpoint }));
        Assert.Contains(run.GetProperty("discrepancies").EnumerateArray(), d => d.GetProperty("check").GetString() == ReconciliationChecks.MerkleTree);
        await AssertDegradedAsync();

        await app.TamperAsync("UPDATE \"ledger_transactions\" SET \"PreviousHash\" = $hash WHERE \"Id\" = $id", ("$hash", link.PreviousHash!), ("$id", link.Id));
        await AssertReadyAfterCleanRunAsync();
    }

    [Fact]
    public async Task An_order_pointed_at_another_transaction_is_reported_by_order_id()
    {
        using var buyer = await ApiClient.RegisteredAsync(app);
        var orderId = (await buyer.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        var order = await app.QueryAsync(db => db.Orders.AsNoTracking().Select(o => new { o.Id, o.LedgerTransactionId }).SingleAsync(o => o.Id == orderId));
        var id = orderId.ToString().ToUpperInvariant();

        await app.TamperAsync("UPDATE \"orders\" SET \"LedgerTransactionId\" = \"LedgerTransactionId\" - 1 WHERE \"Id\" = $id", ("$id", id));
        var run = await app.ReconcileAsync();
        var found = Assert.Single(run.GetProperty("discrepancies").EnumerateArray());
        Assert.Equal(ReconciliationChecks.OrderPurchase, found.GetProperty("check").GetString());
        Assert.Equal(orderId, found.GetProperty("order_id").GetGuid());
        Assert.Equal(order.LedgerTransactionId - 1, found.GetProperty("transaction_id").GetInt64());
        await AssertDegradedAsync();

        await app.TamperAsync("UPDATE \"orders\" SET \"LedgerTransactionId\" = $tx WHERE \"Id\" = $id", ("$tx", order.LedgerTransactionId), ("$id", id));
        await AssertReadyAfterCleanRunAsync();
    }

    private async Task<UserAccounts> ShopperAsync()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        await shopper.PaidTopUpsAsync(2);
        return await app.QueryAsync(db => new LedgerService(db, TimeProvider.System).UserAccountsAsync(shopper.UserId));
    }

    private static List<(string Check, long Id)> Found(JsonElement run, string idProperty) =>
        run.GetProperty("discrepancies").EnumerateArray()
            .Where(d => d.GetProperty(idProperty).ValueKind == JsonValueKind.Number)
            .Select(d => (d.GetProperty("check").GetString()!, d.GetProperty(idProperty).GetInt64()))
            .ToList();

    private async Task AssertDegradedAsync()
    {
        var (status, body) = await app.ReadyAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        var check = Assert.Single(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("status").GetString() != "Healthy");
        Assert.Equal("reconciliation", check.GetProperty("name").GetString());
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
    }

    private async Task AssertReadyAfterCleanRunAsync()
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.ReadyAsync()).Status);
        var run = await app.ReconcileAsync();
        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
        Assert.Equal(HttpStatusCode.OK, (await app.ReadyAsync()).Status);
    }
}
