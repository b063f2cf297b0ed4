using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

public sealed class WhenUsingTheBankTransfersDashboard(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    private const string Dashboard = "/Admin/BankTransfers";

    [Fact]
    public async Task A_pending_transfer_is_listed_with_its_reference_shopper_and_amount()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await StartAsync(shopper, "1300.00");
        using var admin = await app.AdminAsync();

        var html = await HtmlAsync(admin, Dashboard);

        Assert.Contains($"Bank transfer {reference}", html, StringComparison.Ordinal);
        Assert.Contains(shopper.User.Email, html, StringComparison.Ordinal);
        Assert.Contains("1,300.00 USD", html, StringComparison.Ordinal);
        Assert.Contains($"/Admin/BankTransfers?id={id}&amp;handler=Confirm", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/Admin/BankTransfers\" aria-current=\"page\">Bank transfers", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_confirm_form_credits_the_received_amount_and_moves_the_transfer_to_confirmed()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await StartAsync(shopper, "1000.00");
        using var admin = await app.AdminAsync();

        using var response = await WebShopper.PostFormAsync(admin.Http, Dashboard, $"{Dashboard}?id={id}&handler=Confirm", [new("received_amount", "980.00"), new("note", "20 USD correspondent fee")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Dashboard, response.Headers.Location?.OriginalString);
        var html = await HtmlAsync(admin, Dashboard);
        Assert.Contains($"Confirmed {reference}: 980.00 MC credited for 980.00 USD received.", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"Bank transfer {reference}", html, StringComparison.Ordinal);
        Assert.Contains("20 USD correspondent fee", html, StringComparison.Ordinal);
        Assert.Equal("1980.00", await shopper.AvailableAsync());
        Assert.Equal("bank_transfer.confirm", Assert.Single(await app.AuditEntriesAsync(id)).Action);
    }

    [Fact]
    public async Task Posting_the_confirm_form_twice_credits_once()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await StartAsync(shopper, "1000.00");
        using var admin = await app.AdminAsync();
        var action = $"{Dashboard}?id={id}&handler=Confirm";

        using var first = await WebShopper.PostFormAsync(admin.Http, Dashboard, action, [new("received_amount", "1000.00"), new("note", string.Empty)]);
        using var second = await WebShopper.PostFormAsync(admin.Http, Dashboard, action, [new("received_amount", "1000.00"), new("note", string.Empty)]);

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Contains($"{reference} was already confirmed; nothing was credited again.", await HtmlAsync(admin, Dashboard), StringComparison.Ordinal);
        Assert.Equal("2000.00", await shopper.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(id));
    }

    [Fact]
    public async Task The_reject_form_needs_a_reason_then_moves_the_transfer_to_rejected()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await StartAsync(shopper, "1000.00");
        using var admin = await app.AdminAsync();
        var action = $"{Dashboard}?id={id}&handler=Reject";

        using var withoutReason = await WebShopper.PostFormAsync(admin.Http, Dashboard, action, [new("reason", " ")]);
        var refused = await withoutReason.Content.ReadAsStringAsync();
        using var asked = await WebShopper.PostFormAsync(admin.Http, Dashboard, action, [new("reason", "Nothing arrived")]);
        var confirmation = await asked.Content.ReadAsStringAsync();
        using var withReason = await WebShopper.PostFormAsync(admin.Http, Dashboard, action, [new("reason", "Nothing arrived"), new("confirmed", "yes")]);

        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Contains("<p role=\"alert\">Say why the transfer is rejected", refused, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#reason-{id:N}\">Say why the transfer is rejected", refused, StringComparison.Ordinal);
        // With a reason, the first post asks before rejecting (issue 14, defect 7), carrying the reason along.
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains($"<h2 id=\"confirm-step-heading\">Reject bank transfer {reference}?</h2>", confirmation, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"reason\" value=\"Nothing arrived\" />", confirmation, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, withReason.StatusCode);
        var html = await HtmlAsync(admin, Dashboard);
        Assert.Contains($"Rejected {reference}; no credits were added.", html, StringComparison.Ordinal);
        Assert.Contains("Nothing arrived", html, StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_bad_received_amount_comes_back_with_the_error_and_what_was_typed()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, _) = await StartAsync(shopper, "1000.00");
        using var admin = await app.AdminAsync();

        using var response = await WebShopper.PostFormAsync(admin.Http, Dashboard, $"{Dashboard}?id={id}&handler=Confirm", [new("received_amount", "1,000.005"), new("note", "x")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("USD amounts have at most 2 decimal places.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"1,000.005\"", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"error-summary-heading\">There is a problem</h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"#received-{id:N}\">USD amounts have at most 2 decimal places.", html, StringComparison.Ordinal);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task Finding_by_reference_forgives_case_and_look_alike_letters_and_catches_typos()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (_, reference) = await StartAsync(shopper, "1000.00");
        using var other = await ApiClient.RegisteredAsync(app);
        var (_, otherReference) = await StartAsync(other, "1000.00");
        using var admin = await app.AdminAsync();
        var typed = reference.ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');
        var typo = reference[..^1] + (reference[^1] == '7' ? '8' : '7');

        var found = await HtmlAsync(admin, $"{Dashboard}?reference={Uri.EscapeDataString(typed)}");
        var mistyped = await HtmlAsync(admin, $"{Dashboard}?reference={Uri.EscapeDataString(typo)}");

        Assert.Contains($"Bank transfer {reference}", found, StringComparison.Ordinal);
        Assert.DoesNotContain($"Bank transfer {otherReference}", found, StringComparison.Ordinal);
        Assert.Contains("That is not a bank reference", mistyped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shopper_gets_403_on_the_dashboard_and_on_its_forms()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, _) = await StartAsync(shopper, "1000.00");

        using var page = await shopper.GetAsync(Dashboard);
        using var post = await WebShopper.PostFormAsync(shopper.Http, "/Wallet", $"{Dashboard}?id={id}&handler=Confirm", [new("received_amount", "1000.00"), new("note", string.Empty)]);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    private static async Task<(Guid Id, string Reference)> StartAsync(ApiClient shopper, string amount)
    {
        var id = await shopper.StartBankTransferAsync(amount);
        var payment = await shopper.GetJsonAsync($"/api/payments/{id}");
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        var html = await HtmlAsync(shopper, $"/payments/bank/{id}");
        var start = html.IndexOf("<strong class=\"bank-reference\">", StringComparison.Ordinal) + "<strong class=\"bank-reference\">".Length;
        return (id, html[start..html.IndexOf('<', start)]);
    }

    private static async Task<string> HtmlAsync(ApiClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }
}
