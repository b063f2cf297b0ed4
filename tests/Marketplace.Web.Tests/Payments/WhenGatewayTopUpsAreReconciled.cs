using Marketplace.Core.Ledger;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.BankTransfer;
using Marketplace.Web.Tests.Payments.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments;

/// <summary>Issue 5: reconciliation stays clean after real gateway activity, including its awkward cases.</summary>
public sealed class WhenStripeTopUpsAreReconciled(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task A_paid_session_its_redelivery_and_an_expired_session_leave_zero_discrepancies()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paid, _) = await client.StartStripeTopUpAsync();
        var (lapsed, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paid);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var payload = FakeStripe.EventJson(StripeEvents.Completed, session, app.Stripe.NewEventId());

        using (await app.Stripe.SendEventAsync(payload))
        using (await app.Stripe.SendEventAsync(payload))
        using (await app.Stripe.SendEventAsync(StripeEvents.Expired, app.Stripe.SessionFor(lapsed)))
        {
            await client.PaymentStatusBecomesAsync(paid, "succeeded");
            await client.PaymentStatusBecomesAsync(lapsed, "expired");
        }

        var run = await Reconciliation.RunAsync(app.Services);
        Assert.True(run.DiscrepancyCount == 0, string.Join("; ", run.Discrepancies.Select(d => d.Message)));
        Assert.Equal(1, await app.TopUpCountAsync(paid));
        Assert.Equal(0, await app.TopUpCountAsync(lapsed));
    }
}

public sealed class WhenBankTransfersAreReconciled(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task A_short_received_amount_a_double_confirmation_and_a_rejection_leave_zero_discrepancies()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var admin = await app.AdminAsync();
        var confirmed = await shopper.StartBankTransferAsync("1000.00", "USD");
        var rejected = await shopper.StartBankTransferAsync("1200.00", "USD");

        using (await admin.ConfirmAsync(confirmed, "990.00", "Bank fee deducted"))
        using (await admin.ConfirmAsync(confirmed, "990.00", "Again"))
        using (await admin.RejectAsync(rejected, "Never arrived"))
        {
        }

        var run = await Reconciliation.RunAsync(app.Services);
        Assert.True(run.DiscrepancyCount == 0, string.Join("; ", run.Discrepancies.Select(d => d.Message)));
        Assert.Equal(1, await app.TopUpCountAsync(confirmed));
        Assert.Equal(0, await app.TopUpCountAsync(rejected));
        Assert.Equal("1990.00", await shopper.AvailableAsync());
    }
}

internal static class Reconciliation
{
    public static async Task<ReconciliationRun> RunAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
    }
}
