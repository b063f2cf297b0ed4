using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Payments.BankTransfer;
using Marketplace.Web.Tests.Payments.ClickPesa;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Hostile;

/// <summary>
/// The app with every gateway configured (demo, Stripe and ClickPesa against their fakes, bank transfer), a shopper with
/// an order and open payments, another shopper, an admin, and a parked Stripe event: real ids for hostile requests to aim at.
/// </summary>
public sealed class HostileApp : MarketplaceApp, IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;

    public FakeClickPesa ClickPesa { get; private set; } = null!;

    public ApiClient Shopper { get; private set; } = null!;

    public ApiClient Admin { get; private set; } = null!;

    /// <summary>Nobody signed in; it has a CSRF token for requests that send one.</summary>
    public ApiClient Anonymous { get; private set; } = null!;

    /// <summary>Ids the requests aim at: each shopper's payments, the shopper's order, users, a parked webhook row.</summary>
    public IReadOnlyList<string> PaymentIds { get; private set; } = [];

    public IReadOnlyList<string> OrderIds { get; private set; } = [];

    public IReadOnlyList<string> UserIds { get; private set; } = [];

    public IReadOnlyList<string> WebhookIds { get; private set; } = [];

    public string AdminId { get; private set; } = string.Empty;

    /// <summary>The shopper, whose email is verified (so a resend is refused and mails nothing).</summary>
    public string ShopperId { get; private set; } = string.Empty;

    /// <summary>The other shopper, whose email is not verified (so it cannot be made an admin).</summary>
    public string UnverifiedUserId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        ClickPesa = await FakeClickPesa.StartAsync();
        Stripe.WebhookClient = CreateClient();
        Anonymous = ApiClient.For(this);

        Admin = await AdminAsync();
        Shopper = await ApiClient.VerifiedAsync(this);
        using var other = await ApiClient.RegisteredAsync(this);
        var order = (await Shopper.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetString()!;
        var demo = await Shopper.InitiateTopUpAsync();
        var bank = await other.StartBankTransferAsync();
        var stripe = await StartAsync(Shopper, "stripe", "25.00", "USD");
        var clickPesa = await StartAsync(other, "clickpesa", "25000", "TZS");

        // A paid session whose amount differs from the payment's: parked, waiting for an admin.
        var session = Stripe.SessionFor(stripe);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var eventId = Stripe.NewEventId();
        using (var delivered = await Stripe.SendEventAsync(FakeStripe.EventJson(StripeEvents.Completed, session, eventId, amountTotal: 1)))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var parked = await Eventually.PollAsync(() => RowAsync(eventId), row => row is { Status: WebhookStatus.Parked }, "the mismatched event to be parked");

        PaymentIds = [demo.ToString(), bank.ToString(), stripe.ToString(), clickPesa.ToString()];
        OrderIds = [order];
        AdminId = (await this.UserIdAsync(Admin.User.Email)).ToString();
        ShopperId = (await this.UserIdAsync(Shopper.User.Email)).ToString();
        UnverifiedUserId = (await this.UserIdAsync(other.User.Email)).ToString();
        UserIds = [ShopperId, UnverifiedUserId];
        WebhookIds = [parked!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        await Shopper.CsrfTokenAsync();
        await Admin.CsrfTokenAsync();
        await Anonymous.CsrfTokenAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Shopper.Dispose();
        Admin.Dispose();
        Anonymous.Dispose();
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
        await ClickPesa.DisposeAsync();
    }

    /// <summary>What must not change: every account's balance, the rows of every table that holds money or its history, and the chain head.</summary>
    public async Task<string> SnapshotAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var balances = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Id + "=" + a.Balance).ToListAsync();
        var head = await db.LedgerTransactions.AsNoTracking().OrderByDescending(t => t.Id).Select(t => t.Hash).FirstOrDefaultAsync();
        var counts = new Dictionary<string, int>
        {
            ["users"] = await db.Users.CountAsync(),
            ["accounts"] = await db.Accounts.CountAsync(),
            ["ledger_transactions"] = await db.LedgerTransactions.CountAsync(),
            ["ledger_entries"] = await db.LedgerEntries.CountAsync(),
            ["holds"] = await db.Holds.CountAsync(),
            ["payments"] = await db.Payments.CountAsync(),
            ["payments_by_status"] = await db.Payments.SumAsync(p => (int)p.Status),
            ["orders"] = await db.Orders.CountAsync(),
            ["orders_by_status"] = await db.Orders.SumAsync(o => (int)o.Status),
            ["products"] = await db.Products.CountAsync(),
            ["products_available"] = await db.Products.CountAsync(p => p.IsAvailable),
            ["products_priced"] = (int)(await db.Products.SumAsync(p => p.PriceUnits) % int.MaxValue),
            ["products_with_delivery"] = await db.Products.CountAsync(p => p.FileId != null || p.LicenceText != null),
            ["webhook_inbox"] = await db.WebhookInbox.CountAsync(),
            ["webhook_inbox_by_status"] = await db.WebhookInbox.SumAsync(i => (int)i.Status),
            ["audit_log"] = await db.AuditEntries.CountAsync(),
            ["reconciliation_runs"] = await db.ReconciliationRuns.CountAsync(),
        };
        return JsonSerializer.Serialize(new { balances, head, counts });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in Stripe.AppSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("CLICKPESA_CLIENT_ID", FakeClickPesa.ClientId);
        builder.UseSetting("CLICKPESA_API_KEY", FakeClickPesa.ApiKey);
        builder.UseSetting("CLICKPESA_CHECKSUM_KEY", FakeClickPesa.ChecksumKey);
        builder.UseSetting("CLICKPESA_API_BASE", ClickPesa.ApiBase.AbsoluteUri);
        builder.UseSetting("BANK_NAME", BankTransferApp.BankName);
        builder.UseSetting("BANK_ACCOUNT_NAME", BankTransferApp.AccountName);
        builder.UseSetting("BANK_ACCOUNT_NUMBER", BankTransferApp.AccountNumber);
        builder.UseSetting("BANK_SWIFT_CODE", BankTransferApp.SwiftCode);
    }

    private static async Task<Guid> StartAsync(ApiClient client, string gateway, string amount, string currency)
    {
        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = gateway });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment_id").GetGuid();
    }

    private async Task<WebhookInboxItem?> RowAsync(string eventId)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().SingleOrDefaultAsync(i => i.EventId == eventId);
    }
}
