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
/// amount it recorded. Each tampering case undoes itself and ends on a clean run, so the cases do not depend on order.
/// </summary>
public sealed class WhenPackageBonusesAreReconciled(ReconciliationApp app) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public async Task Paid_declined_open_and_bonus_free_package_payments_leave_zero_discrepancies()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        await PaidAsync(client, "popular");
        await PaidAsync(client, "starter");
        await CompleteAsync(await client.InitiatePackageAsync("mega"), PaymentOutcome.Failed);
        await client.InitiatePackageAsync("plus");

        var run = await app.ReconcileAsync();

        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
    }

    [Fact]
    public async Task A_deleted_bonus_grant_is_reported_by_its_payment()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await PaidAsync(client, "popular");
        var bonus = await BonusTransactionIdAsync(paymentId);

        await app.TamperAsync("CREATE TABLE saved_entries AS SELECT * FROM ledger_entries WHERE TransactionId = $id", ("$id", bonus));
        await app.TamperAsync("CREATE TABLE saved_transactions AS SELECT * FROM ledger_transactions WHERE Id = $id", ("$id", bonus));
        await app.TamperAsync("DELETE FROM ledger_entries WHERE TransactionId = $id", ("$id", bonus));
        await app.TamperAsync("DELETE FROM ledger_transactions WHERE Id = $id", ("$id", bonus));
        var run = await app.ReconcileAsync();

        var missing = Assert.Single(Discrepancies(run), d => d.GetProperty("check").GetString() == ReconciliationChecks.PaymentBonus);
        Assert.Equal(paymentId, missing.GetProperty("payment_id").GetGuid());
        Assert.Equal("none", missing.GetProperty("found").GetString());
        Assert.Contains("its bonus was not granted", missing.GetProperty("message").GetString(), StringComparison.Ordinal);

        await app.TamperAsync("INSERT INTO ledger_transactions SELECT * FROM saved_transactions");
        await app.TamperAsync("INSERT INTO ledger_entries SELECT * FROM saved_entries");
        await app.TamperAsync("DROP TABLE saved_entries");
        await app.TamperAsync("DROP TABLE saved_transactions");
        await AssertCleanAsync();
    }

    [Fact]
    public async Task A_second_bonus_for_the_same_payment_is_reported_as_belonging_to_no_payment()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await PaidAsync(client, "popular");
        await AssertCleanAsync();

        // Posted through the ledger like a real grant, so only the bonus checks can tell that it should not be there.
        var extra = await app.QueryAsync(async db =>
        {
            var ledger = new LedgerService(db, TimeProvider.System);
            var userId = await db.Payments.Where(p => p.Id == paymentId).Select(p => p.UserId).SingleAsync();
            var wallet = (await ledger.UserAccountsAsync(userId)).AvailableId;
            var promotions = await ledger.AccountIdAsync(AccountCodes.Promotions);
            var posted = await ledger.PostAsync(new Posting($"{PaymentService.BonusKey(paymentId)}:again", TransactionKind.BonusGrant, "Bonus 10 % on Popular", [new(promotions, -5000), new(wallet, 5000)]));
            return (Assert.IsType<PostingResult.Posted>(posted).Transaction.Id, wallet, promotions);
        });
        var run = await app.ReconcileAsync();

        var found = Assert.Single(Discrepancies(run));
        Assert.Equal(ReconciliationChecks.BonusPayment, found.GetProperty("check").GetString());
        Assert.Equal(extra.Id, found.GetProperty("transaction_id").GetInt64());
        Assert.Contains("belongs to no payment", found.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The extra grant is the newest transaction, so taking it out leaves the hash chain whole.
        await app.TamperAsync("DELETE FROM ledger_entries WHERE TransactionId = $id", ("$id", extra.Id));
        await app.TamperAsync("DELETE FROM ledger_transactions WHERE Id = $id", ("$id", extra.Id));
        await app.TamperAsync("UPDATE accounts SET Balance = Balance - 5000 WHERE Id = $id", ("$id", extra.wallet));
        await app.TamperAsync("UPDATE accounts SET Balance = Balance + 5000 WHERE Id = $id", ("$id", extra.promotions));
        await AssertCleanAsync();
    }

    [Fact]
    public async Task A_bonus_of_another_amount_than_the_payment_recorded_is_reported()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentId = await PaidAsync(client, "plus");
        var id = paymentId.ToString().ToUpperInvariant();

        await app.TamperAsync("UPDATE payments SET BonusUnits = BonusUnits + 1 WHERE Id = $id", ("$id", id));
        var run = await app.ReconcileAsync();

        var found = Assert.Single(Discrepancies(run));
        Assert.Equal(ReconciliationChecks.PaymentBonus, found.GetProperty("check").GetString());
        Assert.Equal(paymentId, found.GetProperty("payment_id").GetGuid());
        Assert.Equal(("20001", "20000"), (found.GetProperty("expected").GetString(), found.GetProperty("found").GetString()));

        await app.TamperAsync("UPDATE payments SET BonusUnits = BonusUnits - 1 WHERE Id = $id", ("$id", id));
        await AssertCleanAsync();
    }

    private async Task<Guid> PaidAsync(ApiClient client, string packageId)
    {
        var paymentId = await client.InitiatePackageAsync(packageId);
        await CompleteAsync(paymentId, PaymentOutcome.Succeeded);
        return paymentId;
    }

    private async Task CompleteAsync(Guid paymentId, PaymentOutcome outcome)
    {
        using var scope = app.Services.CreateScope();
        Assert.IsType<CompletionResult.Completed>(await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(paymentId, outcome));
    }

    private Task<long> BonusTransactionIdAsync(Guid paymentId)
    {
        var key = PaymentService.BonusKey(paymentId);
        return app.QueryAsync(db => db.LedgerTransactions.Where(t => t.IdempotencyKey == key).Select(t => t.Id).SingleAsync());
    }

    private async Task AssertCleanAsync()
    {
        var run = await app.ReconcileAsync();
        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
    }

    private static List<JsonElement> Discrepancies(JsonElement run) => [.. run.GetProperty("discrepancies").EnumerateArray()];
}
