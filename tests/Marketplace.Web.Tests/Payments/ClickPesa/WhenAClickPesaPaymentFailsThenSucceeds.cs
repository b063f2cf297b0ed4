using System.Net;
using Marketplace.Core.Admin;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

/// <summary>
/// A ClickPesa order can be tried again after a failed attempt. The first PAYMENT FAILED marks the payment failed; when
/// the second attempt is paid, ClickPesa's status API says so and the money is credited, once, with an audit entry
/// admins can see. It used to be dropped ("already failed") while the shopper's money was taken.
/// </summary>
public sealed class WhenAClickPesaPaymentFailsThenSucceeds(ClickPesaApp app) : IClassFixture<ClickPesaApp>
{
    [Fact]
    public async Task The_paid_second_attempt_is_credited_once_and_the_change_is_audited()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper, "25000", "TZS");
        using var http = app.CreateClient();
        app.ClickPesa.SetStatus(reference, "FAILED");
        using (var failed = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook("PAYMENT FAILED", reference, "FAILED")))
        {
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        await ClickPesaApp.UntilAsync(async () => await StatusAsync(shopper, id) == "failed", "the first attempt to fail the payment");

        app.ClickPesa.SetStatus(reference, "SUCCESS");
        var paid = app.ClickPesa.Webhook("PAYMENT RECEIVED", reference, "SUCCESS");
        using (var received = await FakeClickPesa.DeliverAsync(http, paid))
        {
            Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        }

        await ClickPesaApp.UntilAsync(async () => await StatusAsync(shopper, id) == "succeeded", "the paid attempt to credit the payment");
        using (var again = await FakeClickPesa.DeliverAsync(http, paid))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        await ClickPesaApp.UntilAsync(async () => (await app.InboxAsync()).Where(i => i.Payload.Contains(reference, StringComparison.Ordinal)).All(i => i.Status == WebhookStatus.Done), "both events to be done");
        Assert.Equal(1, await app.TopUpCountAsync(id));
        Assert.Equal("1010.00", await shopper.AvailableAsync());
        var audit = await AuditAsync($"payment:{id}");
        var entry = Assert.Single(audit);
        Assert.Equal("payment.credited_after_failed", entry.Action);
        Assert.Equal(AuditLog.System.Email, entry.AdminEmail);
    }

    private static async Task<string> StatusAsync(ApiClient shopper, Guid id) =>
        (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString()!;

    private async Task<List<AuditEntry>> AuditAsync(string subject)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().AuditEntries.AsNoTracking().Where(e => e.Subject == subject).ToListAsync();
    }
}
