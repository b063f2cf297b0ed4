using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Admin;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.Stripe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

/// <summary>
/// A parked event (verified, but the amount paid differs from the payment) waits for an admin, who may credit the
/// payment anyway: only with a reason, written to the audit log, through the one completion path, once.
/// </summary>
public sealed class WhenAnAdminCreditsAParkedEvent(StripeApp app) : IClassFixture<StripeApp>
{
    [Fact]
    public async Task The_payment_is_credited_once_with_the_reason_audited_and_the_event_is_done()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (paymentId, eventId, row) = await ParkedEventAsync(shopper);

        using var noReason = await admin.PostJsonAsync($"/api/admin/webhooks/{row.Id}/credit", new { Reason = "  " });
        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest, "reason_required");
        Assert.Equal(0, await app.TopUpCountAsync(paymentId));

        using var credited = await admin.PostJsonAsync($"/api/admin/webhooks/{row.Id}/credit", new { Reason = "Stripe dashboard shows the full amount; the event rounded it" });
        Assert.Equal(HttpStatusCode.OK, credited.StatusCode);
        var body = await credited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", body.GetProperty("payment_status").GetString());
        Assert.False(body.GetProperty("already_credited").GetBoolean());

        using var again = await admin.PostJsonAsync($"/api/admin/webhooks/{row.Id}/credit", new { Reason = "clicked twice" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "not_parked");

        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
        Assert.Equal("1025.00", await shopper.AvailableAsync());
        Assert.Equal(WebhookStatus.Done, (await app.InboxRowAsync(eventId))!.Status);
        var audit = await app.InScopeAsync(s => s.GetRequiredService<MarketplaceDb>().AuditEntries.AsNoTracking().Where(e => e.Subject == $"webhook:{row.Id}").ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(ParkedWebhooks.AuditAction, entry.Action);
        Assert.Equal(MarketplaceApp.AdminEmail, entry.AdminEmail);
        Assert.Equal("Stripe dashboard shows the full amount; the event rounded it", entry.Reason);
        Assert.Contains(paymentId.ToString(), entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shopper_cannot_credit_a_parked_event()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (paymentId, _, row) = await ParkedEventAsync(shopper);

        using var response = await shopper.PostJsonAsync($"/api/admin/webhooks/{row.Id}/credit", new { Reason = "please" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0, await app.TopUpCountAsync(paymentId));
    }

    private async Task<(Guid PaymentId, string EventId, WebhookInboxItem Row)> ParkedEventAsync(ApiClient shopper)
    {
        var (paymentId, _) = await shopper.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var eventId = app.Stripe.NewEventId();
        using var delivered = await app.Stripe.SendEventAsync(FakeStripe.EventJson(StripeEvents.Completed, session, eventId, amountTotal: 2499));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        var row = await app.SettledInboxRowAsync(eventId);
        Assert.Equal(WebhookStatus.Parked, row!.Status);
        Assert.Equal(paymentId, row.PaymentId);
        return (paymentId, eventId, row);
    }
}
