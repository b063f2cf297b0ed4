using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Web.Tests.Admin;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>
/// Every bonus grant has its succeeded package payment, and every succeeded package payment exactly one bonus of the
/// amount it recorded. Each tampering case runs on an app of its own: a transaction taken out of the ledger stays
/// visible to the Merkle tree and the signed checkpoints for good, so no case could hand a clean ledger to the next.
/// </summary>
public sealed class WhenPackageBonusesAreReconciled(ReconciliationApp shared) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public async Task Paid_declined_open_and_bonus_free_package_payments_leave_zero_discrepancies()
    {
        var app = shared;
        using var client = await ApiClient.RegisteredAsync(app);
        await PaidAsync(app, client, "popular");
        await PaidAsync(app, client, "starter");
        await CompleteAsync(app, await client.InitiatePackageAsync("mega"), PaymentOutcome.Failed);
        await client.InitiatePackageAsync("plus");

        var run = await app.ReconcileAsync();

        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
    }

    [Fact]
    public async Task A_deleted_bonus_grant_is_reported_by_its_payment()
    {
        using var app = new ReconciliationApp();
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await PaidAsync(app, client, "popular");
        var bonus = await BonusTransactionIdAsync(app, paymentId);
        // The first run signs the admin up (a welcome grant is a posting): before the tampering, so nothing posts on top of it.
        await AssertCleanAsync(app);

        await app.TamperAsync("CREATE TABLE \"saved_entries\" AS SELECT * FROM \"ledger_entries\" WHERE \"TransactionId\" = $id", ("$id", bonus));
        await app.TamperAsync("CREATE TABLE \"saved_transactions\" AS SELECT * FROM \"ledger_transactions\" WHERE \"Id\" = $id", ("$id", bonus));
        await app.TamperAsync("DELETE FROM \"ledger_entries\" WHERE \"TransactionId\" = $id", ("$id", bonus));
        await app.TamperAsync("DELETE FROM \"ledger_transactions\" WHERE \"Id\" = $id", ("$id", bonus));
        var run = await app.ReconcileAsync();

        var missing = Assert.Single(Discrepancies(run), d => d.GetProperty("check").GetString() == ReconciliationChecks.PaymentBonus);
        Assert.Equal(paymentId, missing.GetProperty("payment_id").GetGuid());
        Assert.Equal("none", missing.GetProperty("found").GetString());
        Assert.Contains("its bonus was not granted", missing.GetProperty("message").GetString(), StringComparison.Ordinal);

        await app.TamperAsync("INSERT INTO \"ledger_transactions\" SELECT * FROM \"saved_transactions\"");
        await app.TamperAsync("INSERT INTO \"ledger_entries\" SELECT * FROM \"saved_entries\"");
        await app.TamperAsync("DROP TABLE \"saved_entries\"");
        await app.TamperAsync("DROP TABLE \"saved_transactions\"");
        await AssertCleanAsync(app);
    }

    [Fact]
    public async Task A_second_bonus_for_the_same_payment_is_reported_as_belonging_to_no_payment()
    {
        using var app = new ReconciliationApp();
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await PaidAsync(app, client, "popular");
        await AssertCleanAsync(app);

        // Posted through the ledger like a real grant, so only the bonus checks can tell that it should not be there.
        var extra = await app.QueryAsync(async db =>
        {
            var ledger = new LedgerService(db, TimeProvider.System);
            var userId = await db.Payments.Where(p => p.Id == paymentId).Select(p => p.UserId).SingleAsync();
            var wallet = (await ledger.UserAccountsAsync(userId)).AvailableId;
            var promotions = await ledger.AccountIdAsync(AccountCodes.Promotions);
            var posted = await ledger.PostAsync(new Posting($"{PaymentService.BonusKey(paymentId)}:again", TransactionKind.BonusGrant, "Bonus 10 % on Popular", [new(promotions, -5000), new(wallet, 5000)]));
            return Assert.IsType<PostingResult.Posted>(posted).Transaction.Id;
        });
        var run = await app.ReconcileAsync();

        var found = Assert.Single(Discrepancies(run));
        Assert.Equal(ReconciliationChecks.BonusPayment, found.GetProperty("check").GetString());
        Assert.Equal(extra, found.GetProperty("transaction_id").GetInt64());
        Assert.Contains("belongs to no payment", found.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bonus_of_another_amount_than_the_payment_recorded_is_reported()
    {
        using var app = new ReconciliationApp();
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await PaidAsync(app, client, "plus");
        var id = paymentId.ToString().ToUpperInvariant();

        await app.TamperAsync("UPDATE \"payments\" SET \"BonusUnits\" = \"BonusUnits\" + 1 WHERE \"Id\" = $id", ("$id", id));
        var run = await app.ReconcileAsync();

        var found = Assert.Single(Discrepancies(run));
        Assert.Equal(ReconciliationChecks.PaymentBonus, found.GetProperty("check").GetString());
        Assert.Equal(paymentId, found.GetProperty("payment_id").GetGuid());
        Assert.Equal(("20001", "20000"), (found.GetProperty("expected").GetString(), found.GetProperty("found").GetString()));

        await app.TamperAsync("UPDATE \"payments\" SET \"BonusUnits\" = \"BonusUnits\" - 1 WHERE \"Id\" = $id", ("$id", id));
        await AssertCleanAsync(app);
    }

    private static async Task<Guid> PaidAsync(ReconciliationApp app, ApiClient client, string packageId)
    {
        var paymentId = await client.InitiatePackageAsync(packageId);
        await CompleteAsync(app, paymentId, PaymentOutcome.Succeeded);
        return paymentId;
    }

    private static async Task CompleteAsync(ReconciliationApp app, Guid paymentId, PaymentOutcome outcome)
    {
        using var scope = app.Services.CreateScope();
        Assert.IsType<CompletionResult.Completed>(await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(paymentId, outcome));
    }

    private static Task<long> BonusTransactionIdAsync(ReconciliationApp app, Guid paymentId)
    {
        var key = PaymentService.BonusKey(paymentId);
        return app.QueryAsync(db => db.LedgerTransactions.Where(t => t.IdempotencyKey == key).Select(t => t.Id).SingleAsync());
    }

    private static async Task AssertCleanAsync(ReconciliationApp app)
    {
        var run = await app.ReconcileAsync();
        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
    }

    private static List<JsonElement> Discrepancies(JsonElement run) => [.. run.GetProperty("discrepancies").EnumerateArray()];
}
