using Marketplace.Core.Payments;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Core.Tests.Payments;

internal static class PaymentTesting
{
    public static readonly Uri Origin = new("http://localhost");

    public static PaymentService Payments(this TestDatabase database, MarketplaceDb db) =>
        new(db, database.Ledger(db), [new DemoGateway(new DemoWebhookKey(database.Settings), database.Clock)], new MarketplaceOptions(), database.Clock);

    /// <summary>A pending 25.00 USD demo top-up, as the wallet page starts it.</summary>
    public static async Task<Payment> StartTopUpAsync(this TestDatabase database, TestUser user)
    {
        await using var db = database.NewContext();
        var result = await database.Payments(db).InitiateAsync(user.Id, "25.00", "USD", "demo", Origin);
        return Assert.IsType<InitiateResult.Started>(result).Payment;
    }

    public static async Task<CompletionResult> CompleteAsync(this TestDatabase database, Guid paymentId, PaymentOutcome outcome)
    {
        await using var db = database.NewContext();
        return await database.Payments(db).CompleteAsync(paymentId, outcome);
    }

    public static async Task<Payment> StoredPaymentAsync(this TestDatabase database, Guid paymentId)
    {
        await using var db = database.NewContext();
        return await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
    }

    public static async Task<int> TopUpCountAsync(this TestDatabase database, Guid paymentId)
    {
        await using var db = database.NewContext();
        var key = PaymentService.TopUpKey(paymentId);
        return await db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == key);
    }
}
