using Marketplace.Core.Ledger;
using Marketplace.Core.Tests.Support;

namespace Marketplace.Core.Tests.Ledger;

/// <summary>Malformed postings are bugs in the caller, so they throw instead of returning a result.</summary>
public class WhenAPostingIsMalformed(TestDatabase database) : IClassFixture<TestDatabase>
{
    public static TheoryData<string, PostingLine[]> Malformed => new()
    {
        { "unbalanced", [new(1, -100), new(2, 99)] },
        { "one line", [new(1, 0)] },
        { "one nonzero line", [new(1, 100)] },
        { "no lines", [] },
        { "a zero line", [new(1, -100), new(2, 100), new(3, 0)] },
        { "the same account twice", [new(1, -100), new(1, 100)] },
        { "the same account twice, balanced overall", [new(1, -100), new(2, 50), new(2, 50)] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task It_throws_and_records_nothing(string why, PostingLine[] lines)
    {
        var transactionsBefore = await database.TransactionCountAsync();
        await using var db = database.NewContext();

        await Assert.ThrowsAsync<ArgumentException>(() => database.Ledger(db).PostAsync(new Posting($"malformed:{why}", TransactionKind.AdminAdjustment, why, lines)));

        Assert.Equal(transactionsBefore, await database.TransactionCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_blank_key_throws(string key)
    {
        await using var db = database.NewContext();
        await Assert.ThrowsAsync<ArgumentException>(() => database.Ledger(db).PostAsync(new Posting(key, TransactionKind.AdminAdjustment, "No key", [new(1, -1), new(2, 1)])));
    }

    [Fact]
    public async Task An_overlong_key_throws()
    {
        await using var db = database.NewContext();
        var key = new string('k', Posting.MaxKeyLength + 1);
        await Assert.ThrowsAsync<ArgumentException>(() => database.Ledger(db).PostAsync(new Posting(key, TransactionKind.AdminAdjustment, "Long key", [new(1, -1), new(2, 1)])));
    }

    [Fact]
    public async Task An_unknown_account_throws_and_records_nothing()
    {
        var transactionsBefore = await database.TransactionCountAsync();
        var promotions = await database.AccountIdAsync(AccountCodes.Promotions);
        var promotionsBefore = await database.BalanceAsync(promotions);
        await using var db = database.NewContext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.Ledger(db).PostAsync(new Posting("unknown-account", TransactionKind.AdminAdjustment, "Nowhere", [new(promotions, -5), new(long.MaxValue, 5)])));

        Assert.Equal(transactionsBefore, await database.TransactionCountAsync());
        Assert.Equal(promotionsBefore, await database.BalanceAsync(promotions));
    }
}
