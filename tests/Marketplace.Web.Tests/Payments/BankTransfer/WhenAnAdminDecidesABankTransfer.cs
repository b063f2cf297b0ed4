using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

public sealed class WhenAnAdminDecidesABankTransfer(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task Confirming_credits_the_amount_that_arrived_not_the_amount_asked()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1200.00");
        using var admin = await app.AdminAsync();

        using var response = await admin.ConfirmAsync(id, "1150.50", "Bank fee of 49.50 USD deducted");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("succeeded", body.GetProperty("status").GetString());
        Assert.Equal("1200.00", body.GetProperty("amount").GetString());
        Assert.Equal("1150.50", body.GetProperty("received_amount").GetString());
        Assert.Equal("1150.50", body.GetProperty("credits").GetString());
        Assert.Equal("2150.50", await shopper.AvailableAsync());
        var payment = await shopper.GetJsonAsync($"/api/payments/{id}");
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
        Assert.Equal("1150.50", payment.GetProperty("credits").GetString());
    }

    [Fact]
    public async Task Credits_follow_the_configured_price_of_the_payments_currency()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("2500000", "TZS");
        using var admin = await app.AdminAsync();

        using var response = await admin.ConfirmAsync(id, "3000000", "Sent more than asked");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2200.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task The_decision_is_recorded_on_the_payment_and_in_the_audit_log()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();

        using var response = await admin.ConfirmAsync(id, "1000.00", "Arrived 22 Nov");

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Arrived 22 Nov", body.GetProperty("note").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("decided_at").ValueKind);
        var entry = Assert.Single(await app.AuditEntriesAsync(id));
        Assert.Equal("bank_transfer.confirm", entry.Action);
        Assert.Equal(BankTransferApp.AdminEmail, entry.AdminEmail);
        Assert.Equal("Arrived 22 Nov", entry.Reason);
        var details = JsonSerializer.Deserialize<JsonElement>(entry.Details);
        Assert.Equal("1000.00", details.GetProperty("requested_amount").GetString());
        Assert.Equal("1000.00", details.GetProperty("received_amount").GetString());
        Assert.Equal("USD", details.GetProperty("currency").GetString());
        Assert.Equal("1000.00", details.GetProperty("credits").GetString());
        Assert.Equal(body.GetProperty("reference").GetString(), details.GetProperty("reference").GetString());
    }

    [Fact]
    public async Task Confirming_twice_credits_once_and_the_second_answers_409_already_confirmed()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();

        using var first = await admin.ConfirmAsync(id, "1000.00");
        using var second = await admin.ConfirmAsync(id, "1000.00");
        using var different = await admin.ConfirmAsync(id, "5000.00", "typo");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "already_confirmed");
        await different.AssertProblemAsync(HttpStatusCode.Conflict, "already_confirmed");
        Assert.Equal("2000.00", await shopper.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(id));
        Assert.Single(await app.AuditEntriesAsync(id));
    }

    [Fact]
    public async Task Concurrent_confirmations_credit_once()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        var admins = new List<ApiClient>();
        for (var i = 0; i < 5; i++)
        {
            admins.Add(await app.AdminAsync());
        }

        var responses = await Task.WhenAll(admins.Select(a => Task.Run(() => a.ConfirmAsync(id, "1000.00"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal("2000.00", await shopper.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(id));
        Assert.Single(await app.AuditEntriesAsync(id));
        foreach (var disposable in responses.Cast<IDisposable>().Concat(admins))
        {
            disposable.Dispose();
        }
    }

    [Fact]
    public async Task Rejecting_adds_no_credits_and_shows_the_reason_to_the_shopper()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();

        using var response = await admin.RejectAsync(id, "No transfer with this reference arrived within 14 days");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1000.00", await shopper.AvailableAsync());
        Assert.Equal(0, await app.TopUpCountAsync(id));
        var payment = await shopper.GetJsonAsync($"/api/payments/{id}");
        Assert.Equal("failed", payment.GetProperty("status").GetString());
        Assert.Equal("No transfer with this reference arrived within 14 days", payment.GetProperty("failure_reason").GetString());
        var entry = Assert.Single(await app.AuditEntriesAsync(id));
        Assert.Equal("bank_transfer.reject", entry.Action);
        Assert.Equal("No transfer with this reference arrived within 14 days", entry.Reason);
    }

    [Fact]
    public async Task Confirming_after_a_rejection_is_refused_and_credits_nothing()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();
        using var rejected = await admin.RejectAsync(id, "Sender name does not match");

        using var response = await admin.ConfirmAsync(id, "1000.00");
        using var again = await admin.RejectAsync(id, "once more");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "already_rejected");
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "already_rejected");
        Assert.Equal("1000.00", await shopper.AvailableAsync());
        Assert.Equal(0, await app.TopUpCountAsync(id));
        Assert.Single(await app.AuditEntriesAsync(id));
    }

    [Fact]
    public async Task Rejecting_a_confirmed_transfer_is_refused()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();
        using var confirmed = await admin.ConfirmAsync(id, "1000.00");

        using var response = await admin.RejectAsync(id, "changed my mind");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "already_confirmed");
        Assert.Equal("2000.00", await shopper.AvailableAsync());
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "missing_field")]
    [InlineData("{\"received_amount\":1000}", HttpStatusCode.BadRequest, "malformed_json")]
    [InlineData("{\"received_amount\":\"ten\"}", HttpStatusCode.BadRequest, "invalid_amount")]
    [InlineData("{\"received_amount\":\"1000.001\"}", HttpStatusCode.BadRequest, "amount_too_precise")]
    [InlineData("{\"received_amount\":\"0\"}", HttpStatusCode.BadRequest, "amount_not_positive")]
    [InlineData("{\"received_amount\":\"-5.00\"}", HttpStatusCode.BadRequest, "amount_not_positive")]
    [InlineData("{\"received_amount\":\"999.00\"}", HttpStatusCode.BadRequest, "note_required")]
    [InlineData("{\"received_amount\":\"1000001.00\",\"note\":\"a lot\"}", HttpStatusCode.UnprocessableEntity, "amount_too_large")]
    [InlineData("{\"received_amount\":\"999999999999999.99\",\"note\":\"a lot\"}", HttpStatusCode.UnprocessableEntity, "amount_too_large")]
    public async Task A_bad_confirmation_is_refused_and_changes_nothing(string body, HttpStatusCode status, string code)
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();

        using var response = await admin.PostAsync($"/api/admin/payments/{id}/confirm", body, "application/json");

        await response.AssertProblemAsync(status, code);
        Assert.Equal("pending", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
        Assert.Empty(await app.AuditEntriesAsync(id));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"reason\":\"   \"}")]
    public async Task A_rejection_without_a_reason_is_refused(string body)
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();

        using var response = await admin.PostAsync($"/api/admin/payments/{id}/reject", body, "application/json");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "reason_required");
        Assert.Equal("pending", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_bank_transfers_are_decided_by_hand()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var demo = await shopper.InitiateTopUpAsync();
        using var admin = await app.AdminAsync();

        using var confirm = await admin.ConfirmAsync(demo, "25.00");
        using var unknown = await admin.ConfirmAsync(Guid.NewGuid(), "25.00");
        using var notAnId = await admin.RejectAsync(Guid.Empty, "x");

        await confirm.AssertProblemAsync(HttpStatusCode.Conflict, "not_a_bank_transfer");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
        await notAnId.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_shopper_gets_403_from_the_admin_api_and_nothing_changes()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1000.00");

        using var confirm = await shopper.ConfirmAsync(id, "1000.00");
        using var reject = await shopper.RejectAsync(id, "mine");

        await confirm.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await reject.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("1000.00", await shopper.AvailableAsync());
        Assert.Equal("pending", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Someone_signed_out_gets_401_from_the_admin_api()
    {
        using var anonymous = ApiClient.For(app);

        using var response = await anonymous.ConfirmAsync(Guid.NewGuid(), "1000.00");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }
}
