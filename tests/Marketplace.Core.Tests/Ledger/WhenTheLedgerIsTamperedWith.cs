using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Tests.Payments;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>Each test edits a fresh, clean database directly, as someone with the SQLite file could, and expects reconciliation to name what changed.</summary>
public sealed class WhenTheLedgerIsTamperedWith : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private Activity _activity = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _activity = await _database.RealisticActivityAsync();
        Assert.Empty((await _database.ReconcileAsync()).Discrepancies);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task An_edited_account_balance_is_reported_for_that_account_with_the_sum_of_its_entries()
    {
        var account = _activity.Bob.AvailableId;
        var before = await _database.BalanceAsync(account);
        await _database.TamperAsync($"UPDATE \"accounts\" SET \"Balance\" = \"Balance\" + 500 WHERE \"Id\" = {account}");

        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies);
        Assert.Equal(ReconciliationChecks.AccountBalance, found.Check);
        Assert.Equal(account, found.AccountId);
        Assert.Equal(before.ToString(System.Globalization.CultureInfo.InvariantCulture), found.Expected);
        Assert.Equal((before + 500).ToString(System.Globalization.CultureInfo.InvariantCulture), found.Found);
        Assert.Equal(ReconciliationStatus.Discrepancies, run.Status);
        Assert.Equal(1, run.DiscrepancyCount);
    }

    [Fact]
    public async Task A_user_balance_pushed_below_zero_is_reported_as_negative()
    {
        var account = _activity.Alice.HeldId;
        await _database.TamperAsync($"UPDATE \"accounts\" SET \"Balance\" = -1 WHERE \"Id\" = {account}");

        var run = await _database.ReconcileAsync();

        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.NegativeUserBalance && d.AccountId == account && d.Found == "-1");
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.AccountBalance && d.AccountId == account);
    }

    [Fact]
    public async Task An_edited_entry_amount_is_caught_by_the_balance_checks_the_chain_the_tree_and_the_checkpoint()
    {
        var entry = await _database.EntryAsync(_activity.TransferId, _activity.Alice.AvailableId);
        await _database.TamperAsync($"UPDATE \"ledger_entries\" SET \"Amount\" = \"Amount\" + 100 WHERE \"Id\" = {entry.Id}");

        var run = await _database.ReconcileAsync();

        Assert.Equal(
            [ReconciliationChecks.AccountBalance, ReconciliationChecks.BalanceAfter, ReconciliationChecks.Chain, ReconciliationChecks.Checkpoint, ReconciliationChecks.MerkleTree, ReconciliationChecks.TransactionBalances],
            run.Discrepancies.Select(d => d.Check).Order(StringComparer.Ordinal));
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.TransactionBalances && d.TransactionId == _activity.TransferId && d.Found == "sum 100 over 2 entries");
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.AccountBalance && d.AccountId == _activity.Alice.AvailableId);
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.BalanceAfter && d.EntryId == entry.Id && d.AccountId == _activity.Alice.AvailableId);
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.Chain && d.TransactionId == _activity.TransferId);
    }

    [Fact]
    public async Task A_deleted_entry_unbalances_its_transaction_its_account_and_the_chain()
    {
        var entry = await _database.EntryAsync(_activity.TransferId, _activity.Bob.AvailableId);
        await _database.TamperAsync($"DELETE FROM \"ledger_entries\" WHERE \"Id\" = {entry.Id}");

        var run = await _database.ReconcileAsync();

        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.TransactionBalances && d.TransactionId == _activity.TransferId && d.Found == "sum -1234 over 1 entries");
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.AccountBalance && d.AccountId == _activity.Bob.AvailableId);
        Assert.Contains(run.Discrepancies, d => d.Check == ReconciliationChecks.Chain && d.TransactionId == _activity.TransferId);
    }

    [Fact]
    public async Task A_payment_marked_succeeded_without_its_top_up_is_reported_by_payment_id()
    {
        var payment = await _database.StartTopUpAsync(_activity.Bob);
        await _database.TamperAsync($"UPDATE \"payments\" SET \"Status\" = {(int)PaymentStatus.Succeeded} WHERE \"Id\" = {payment.Id}");

        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies);
        Assert.Equal(ReconciliationChecks.PaymentTopUp, found.Check);
        Assert.Equal(payment.Id, found.PaymentId);
        Assert.Equal("none", found.Found);
    }

    [Fact]
    public async Task A_top_up_whose_payment_is_gone_is_reported_by_transaction_id()
    {
        var topUp = (await _database.StoredPaymentAsync(_activity.SucceededPayment)).LedgerTransactionId;
        await _database.TamperAsync($"DELETE FROM \"payments\" WHERE \"Id\" = {_activity.SucceededPayment}");

        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies);
        Assert.Equal(ReconciliationChecks.TopUpPayment, found.Check);
        Assert.Equal(topUp, found.TransactionId);
    }

    [Fact]
    public async Task An_open_hold_marked_released_without_a_release_is_reported_by_hold_id()
    {
        await _database.TamperAsync($"UPDATE \"holds\" SET \"Status\" = {(int)HoldStatus.Released} WHERE \"Id\" = {_activity.OpenHold}");

        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies);
        Assert.Equal(ReconciliationChecks.HoldResolution, found.Check);
        Assert.Equal(_activity.OpenHold, found.HoldId);
    }

    [Fact]
    public async Task An_altered_previous_hash_is_the_first_broken_link()
    {
        var link = await _database.TransactionAsync(_activity.TransferId - 1);
        var forged = new string('f', 64);
        await _database.TamperAsync($"UPDATE \"ledger_transactions\" SET \"PreviousHash\" = {forged} WHERE \"Id\" = {link.Id}");

        var run = await _database.ReconcileAsync();

        // The previous hash is part of the leaf, so the stored tree and the checkpoint signed over it disagree too.
        Assert.Equal([ReconciliationChecks.Chain, ReconciliationChecks.Checkpoint, ReconciliationChecks.MerkleTree], run.Discrepancies.Select(d => d.Check).Order(StringComparer.Ordinal));
        var found = Assert.Single(run.Discrepancies, d => d.Check == ReconciliationChecks.Chain);
        Assert.Equal(link.Id, found.TransactionId);
        Assert.Equal(link.PreviousHash, found.Expected);
        Assert.Equal(forged, found.Found);
    }

    [Fact]
    public async Task An_altered_hash_is_reported_at_its_own_transaction_not_at_the_next()
    {
        var link = await _database.TransactionAsync(_activity.TransferId - 2);
        await _database.TamperAsync($"UPDATE \"ledger_transactions\" SET \"Hash\" = {new string('a', 64)} WHERE \"Id\" = {link.Id}");

        var run = await _database.ReconcileAsync();

        var found = Assert.Single(run.Discrepancies);
        Assert.Equal(ReconciliationChecks.Chain, found.Check);
        Assert.Equal(link.Id, found.TransactionId);
        Assert.Equal(link.Hash, found.Expected);
    }

    [Fact]
    public async Task A_rewritten_idempotency_key_breaks_the_chain_at_that_transaction()
    {
        await _database.TamperAsync($"UPDATE \"ledger_transactions\" SET \"IdempotencyKey\" = 'transfer:rewritten' WHERE \"Id\" = {_activity.TransferId}");

        var run = await _database.ReconcileAsync();

        Assert.Equal([ReconciliationChecks.Chain, ReconciliationChecks.Checkpoint, ReconciliationChecks.MerkleTree], run.Discrepancies.Select(d => d.Check).Order(StringComparer.Ordinal));
        var found = Assert.Single(run.Discrepancies, d => d.Check == ReconciliationChecks.Chain);
        Assert.Equal(_activity.TransferId, found.TransactionId);
    }
}
