using System.Net;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;
using Marketplace.Web.Tests.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

public sealed class WhenReconcilingFromTheAdminArea(ReconciliationApp app) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public async Task A_ledger_after_sign_ups_top_ups_purchases_service_orders_transfers_and_holds_reconciles_clean()
    {
        using var alice = await WebShopper.RegisterAsync(app);
        using var bob = await WebShopper.RegisterAsync(app);
        await alice.PaidTopUpsAsync(3);
        await bob.PaidTopUpsAsync(1);
        await alice.StartDemoTopUpAsync("7.00");

        using (await app.AdminAsync())
        {
        }

        using var carol = await ApiClient.RegisteredAsync(app);
        await carol.BuyAsync(Intents.IconPack, "25.00", quantity: 2);
        var delivered = (await carol.BuyAsync(Intents.CodeReview, "60.00")).GetProperty("order_id").GetGuid();
        var cancelled = (await carol.BuyAsync(Intents.CodeReview, "60.00")).GetProperty("order_id").GetGuid();
        await carol.BuyAsync(Intents.CodeReview, "60.00");
        using (var transfer = await carol.TransactAsync(Intents.Transfer(ReconciliationApp.AdminEmail, "5.00")))
        {
            Assert.True(transfer.IsSuccessStatusCode, await transfer.Content.ReadAsStringAsync());
        }

        using (var scope = app.Services.CreateScope())
        {
            var sellers = scope.ServiceProvider.GetRequiredService<SellerService>();
            Assert.IsType<OrderTransitionResult.Done>(await sellers.DeliverAsync(DemoCatalog.GridWorks, delivered));
            Assert.IsType<OrderTransitionResult.Done>(await sellers.CancelAsync(DemoCatalog.GridWorks, cancelled));
        }

        using (var scope = app.Services.CreateScope())
        {
            var holds = scope.ServiceProvider.GetRequiredService<HoldService>();
            var ledger = scope.ServiceProvider.GetRequiredService<LedgerService>();
            var bobAccounts = await ledger.UserAccountsAsync(bob.UserId);
            var settled = Guid.NewGuid();
            var released = Guid.NewGuid();
            Assert.IsType<HoldResult.Done>(await holds.ReserveAsync(settled, alice.UserId, 5_000, "order-a", DateTime.UtcNow.AddDays(1)));
            Assert.IsType<HoldResult.Done>(await holds.ReserveAsync(released, alice.UserId, 1_000, "order-b", DateTime.UtcNow.AddDays(1)));
            Assert.IsType<HoldResult.Done>(await holds.SettleAsync(settled, [new PostingLine(bobAccounts.AvailableId, 4_500), new PostingLine(await ledger.AccountIdAsync(AccountCodes.Revenue), 500)]));
            Assert.IsType<HoldResult.Done>(await holds.ReleaseAsync(released));
        }

        var run = await app.ReconcileAsync();

        Assert.True(run.GetProperty("discrepancy_count").GetInt32() == 0, run.ToString());
        Assert.Equal("clean", run.GetProperty("status").GetString());
        Assert.Empty(run.GetProperty("discrepancies").EnumerateArray());
        var counts = run.GetProperty("checked");
        Assert.True(counts.GetProperty("transactions").GetInt64() >= 10);
        Assert.True(counts.GetProperty("payments").GetInt64() >= 5);
        Assert.True(counts.GetProperty("holds").GetInt64() >= 5);
        Assert.True(counts.GetProperty("orders").GetInt64() >= 5);
        Assert.Equal($"admin:{ReconciliationApp.AdminEmail}", run.GetProperty("trigger").GetString());
        var (status, body) = await app.ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Running_it_over_the_api_is_recorded_in_the_audit_log()
    {
        var run = await app.ReconcileAsync();

        var audited = await app.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == "reconciliation.run").ToListAsync());
        Assert.Contains(audited, e => e.AdminEmail == ReconciliationApp.AdminEmail && e.Details.Contains($"\"discrepancies\":{run.GetProperty("discrepancy_count").GetInt32()}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_now_on_the_page_stores_a_run_lists_it_and_audits_it()
    {
        using var admin = await app.AdminAsync();
        var auditedBefore = await app.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Action == "reconciliation.run"));

        using var posted = await WebShopper.PostFormAsync(admin.Http, "/Admin/Reconciliation", "/Admin/Reconciliation", []);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var latest = await app.QueryAsync(db => db.ReconciliationRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstAsync());
        Assert.Equal($"/Admin/Reconciliation?run={latest.Id}", posted.Headers.Location?.OriginalString);
        var html = await admin.Http.GetStringAsync(posted.Headers.Location);
        Assert.Contains($"Run {latest.Id} finished in", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Reconciliation runs\"", html, StringComparison.Ordinal);
        Assert.Contains("Everything adds up.", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Admin/Reconciliation\"", html, StringComparison.Ordinal);
        Assert.Equal(auditedBefore + 1, await app.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Action == "reconciliation.run")));
    }

    [Fact]
    public async Task The_page_shows_the_latest_checkpoint_as_the_api_serves_it_ready_to_copy()
    {
        using var admin = await app.AdminAsync();
        using (await WebShopper.PostFormAsync(admin.Http, "/Admin/Reconciliation", "/Admin/Reconciliation", []))
        {
        }

        var html = await admin.Http.GetStringAsync(new Uri("/Admin/Reconciliation", UriKind.Relative));
        var latest = await admin.Http.GetStringAsync(new Uri("/api/ledger/checkpoints/latest", UriKind.Relative));

        Assert.Contains("<label for=\"latest_checkpoint\">Latest checkpoint</label>", html, StringComparison.Ordinal);
        var copied = System.Text.RegularExpressions.Regex.Match(html, "<textarea id=\"latest_checkpoint\" readonly rows=\"6\">([^<]*)</textarea>").Groups[1].Value;
        Assert.Equal(latest, System.Net.WebUtility.HtmlDecode(copied));
        Assert.Contains("reconciliation_run_id", latest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shopper_is_refused_the_page_and_the_api()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var runsBefore = await app.QueryAsync(db => db.ReconciliationRuns.CountAsync());

        using var page = await shopper.GetAsync("/Admin/Reconciliation");
        using var api = await shopper.PostAsync("/api/admin/reconciliation/run", content: null);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        await api.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(runsBefore, await app.QueryAsync(db => db.ReconciliationRuns.CountAsync()));
    }

    [Fact]
    public async Task Someone_signed_out_gets_401_from_the_api()
    {
        using var anonymous = ApiClient.For(app);

        using var response = await anonymous.PostAsync("/api/admin/reconciliation/run", content: null);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }
}
