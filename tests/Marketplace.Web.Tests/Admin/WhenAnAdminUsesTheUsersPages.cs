using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Admin;

public sealed partial class WhenAnAdminUsesTheUsersPages(AdminApp app) : IClassFixture<AdminApp>
{
    [Fact]
    public async Task Finding_a_user_shows_their_balance_holds_orders_and_history()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        await shopper.BuyAsync(Intents.CodeReview, "60.00");

        var found = await HtmlAsync(admin, $"/Admin/Users?q={Uri.EscapeDataString(shopper.User.Email.ToUpperInvariant()[..12])}");
        var link = UserLink().Match(found);
        var detail = await HtmlAsync(admin, link.Groups[1].Value);

        Assert.True(link.Success, "The search did not list the user.");
        Assert.Contains(shopper.User.Email, found, StringComparison.Ordinal);
        Assert.Contains("940.00 MC", detail, StringComparison.Ordinal);
        Assert.Contains("60.00 MC", detail, StringComparison.Ordinal);
        Assert.Contains("Code review", detail, StringComparison.Ordinal);
        // The same labels as the buyer's and the shopper's pages, not wire names.
        Assert.Contains("<td>Awaiting delivery (credits held)</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td>Welcome grant</td>", detail, StringComparison.Ordinal);
        Assert.Contains(">Refund</button>", detail, StringComparison.Ordinal);
        var nav = await HtmlAsync(admin, "/Admin");
        Assert.Contains("<a href=\"/Admin/Users\"", nav, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_the_adjust_form_twice_adjusts_once()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var page = $"/Admin/Users/{await app.UserIdAsync(shopper.User.Email)}";
        var html = await HtmlAsync(admin, page);
        var fields = new Dictionary<string, string> { ["amount"] = "15.00", ["reason"] = "Goodwill", ["key"] = HiddenKey().Match(html).Groups[1].Value, ["__RequestVerificationToken"] = Csrf(html) };

        using var first = await PostFormAsync(admin, page + "?handler=Adjust", fields);
        using var second = await PostFormAsync(admin, page + "?handler=Adjust", fields);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal("1015.00", await shopper.AvailableAsync());
        var after = await HtmlAsync(admin, page);
        Assert.Contains("already made; nothing changed", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_debit_below_zero_or_without_reason_is_shown_back_with_the_reason()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var page = $"/Admin/Users/{await app.UserIdAsync(shopper.User.Email)}";
        var html = await HtmlAsync(admin, page);

        using var tooMuch = await PostFormAsync(admin, page + "?handler=Adjust", new() { ["amount"] = "-1000.01", ["reason"] = "Test", ["key"] = HiddenKey().Match(html).Groups[1].Value, ["__RequestVerificationToken"] = Csrf(html) });
        using var noReason = await PostFormAsync(admin, page + "?handler=Adjust", new() { ["amount"] = "5.00", ["reason"] = "", ["key"] = Guid.NewGuid().ToString("N"), ["__RequestVerificationToken"] = Csrf(html) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        var tooMuchHtml = await tooMuch.Content.ReadAsStringAsync();
        Assert.Contains("cannot take it below zero", tooMuchHtml, StringComparison.Ordinal);
        Assert.Contains("data-error-summary", tooMuchHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#adjust_amount\">", tooMuchHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var noReasonHtml = await noReason.Content.ReadAsStringAsync();
        Assert.Contains("Give the reason", noReasonHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#adjust_reason\">", noReasonHtml, StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task The_refund_form_refunds_the_order()
    {
        using var admin = await app.AdminAsync();
        using var shopper = await ApiClient.RegisteredAsync(app);
        var order = (await shopper.BuyAsync(Intents.IconPack, "12.50")).GetProperty("order_id").GetGuid();
        var page = $"/Admin/Users/{await app.UserIdAsync(shopper.User.Email)}";
        var html = await HtmlAsync(admin, page);

        using var asked = await PostFormAsync(admin, page + "?handler=Refund", new() { ["orderId"] = order.ToString(), ["reason"] = "Duplicate purchase", ["__RequestVerificationToken"] = Csrf(html) });
        var confirmation = await asked.Content.ReadAsStringAsync();
        Assert.Equal("987.50", await shopper.AvailableAsync());
        using var refunded = await PostFormAsync(admin, page + "?handler=Refund", new() { ["orderId"] = order.ToString(), ["reason"] = "Duplicate purchase", ["confirmed"] = "yes", ["__RequestVerificationToken"] = Csrf(html) });

        // The first post asks (issue 14, defect 7); the success message names the order, not its id.
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("<h2 id=\"confirm-step-heading\">Refund the order for Icon pack: Line?</h2>", confirmation, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, refunded.StatusCode);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
        Assert.Contains("Order for Icon pack: Line refunded: 12.50 MC back to the buyer.", await HtmlAsync(admin, page), StringComparison.Ordinal);
        Assert.Equal("Duplicate purchase", Assert.Single(await app.AuditAsync($"order:{order}")).Reason);
    }

    private static async Task<string> HtmlAsync(ApiClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpResponseMessage> PostFormAsync(ApiClient client, string path, Dictionary<string, string> fields)
    {
        using var form = new FormUrlEncodedContent(fields);
        return await client.Http.PostAsync(new Uri(path, UriKind.Relative), form);
    }

    private static string Csrf(string html) => CsrfMeta().Match(html).Groups[1].Value;

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMeta();

    [GeneratedRegex("<input type=\"hidden\" name=\"key\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex HiddenKey();

    [GeneratedRegex("<a href=\"(/Admin/Users/[0-9a-f-]{36})\">")]
    private static partial Regex UserLink();
}
