using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Admin;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Wallet;

/// <summary>
/// The wallet's history reads each line with its order in one query (a join on orders' ledger transaction): a line
/// links to the order only where this user is its buyer, and a hold says what became of its order.
/// </summary>
public sealed partial class WhenTheHistoryLinksOrders(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task Purchases_holds_and_sent_transfers_link_their_order_and_nothing_else_does()
    {
        using var admin = await app.AdminAsync();
        using var buyer = await WebShopper.RegisterAsync(app);
        using var recipient = await WebShopper.RegisterAsync(app);
        await app.VerifyEmailAsync(recipient.Api.User.Email);
        await buyer.PaidTopUpsAsync(1);
        var purchase = (await buyer.Api.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        var service = (await buyer.Api.BuyAsync(Intents.CodeReview, "60.00")).GetProperty("order_id").GetGuid();
        using var transferred = await buyer.Api.TransactAsync(Intents.Transfer(recipient.Api.User.Email, "5.00"));
        var transfer = (await transferred.ReadJsonAsync()).GetProperty("order_id").GetGuid();
        using var refunded = await admin.PostJsonAsync($"/api/admin/orders/{purchase}/refund", new { Reason = "Broken download" });
        Assert.Equal(HttpStatusCode.OK, refunded.StatusCode);

        var buyerRows = Rows(await buyer.GetHtmlAsync("/Wallet"));
        var recipientRows = Rows(await recipient.GetHtmlAsync("/Wallet"));

        Assert.Equal(
            [
                (null, "Refund", "+12.50 MC"),
                (transfer, "Transfer", "-5.00 MC"),
                (service, "Hold · Awaiting delivery (credits held)", "-60.00 MC"),
                (purchase, "Purchase", "-12.50 MC"),
                (null, "Top-up", "+1.00 MC"),
                (null, "Welcome grant", "+1,000.00 MC"),
            ],
            buyerRows.Select(r => (r.OrderId, r.Kind, r.Amount)));
        Assert.Equal([(null, "Transfer", "+5.00 MC"), (null, "Welcome grant", "+1,000.00 MC")], recipientRows.Select(r => ((Guid?)r.OrderId, r.Kind, r.Amount)));
    }

    [Fact]
    public async Task A_later_page_links_its_orders_as_the_first_does()
    {
        using var buyer = await WebShopper.RegisterAsync(app);
        var purchase = (await buyer.Api.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        await buyer.PaidTopUpsAsync(20);

        var first = await buyer.GetHtmlAsync("/Wallet");
        var cursor = LoadMore().Match(first).Groups[1].Value;
        var second = Rows(await buyer.GetHtmlAsync($"/Wallet?handler=History&before={cursor}", htmx: true));

        Assert.Equal(20, Rows(first).Count);
        Assert.All(Rows(first), r => Assert.Null(r.OrderId));
        Assert.Equal([(purchase, "Purchase", "-12.50 MC"), (null, "Welcome grant", "+1,000.00 MC")], second.Select(r => (r.OrderId, r.Kind, r.Amount)));
    }

    private static List<(Guid? OrderId, string Kind, string Amount)> Rows(string html) =>
        HistoryRow().Matches(html)
            .Select(m => (m.Groups[1].Success ? Guid.Parse(m.Groups[1].Value) : (Guid?)null, WebUtility.HtmlDecode(m.Groups[2].Value), WebUtility.HtmlDecode(m.Groups[3].Value)))
            .ToList();

    // Date, description (a link to /Orders/{id} or text), kind, amount: the history's rows, not the payments table's.
    [GeneratedRegex("<tr>\\s*<td><time [^>]*>[^<]*</time></td>\\s*<td>(?:<a href=\"/Orders/([0-9a-f-]{36})\">)?[^<]*(?:</a>)?</td>\\s*<td>([^<]*)</td>\\s*<td class=\"amount\">([^<]*)</td>")]
    private static partial Regex HistoryRow();

    [GeneratedRegex("href=\"/Wallet\\?before=([0-9]+)\"")]
    private static partial Regex LoadMore();
}
