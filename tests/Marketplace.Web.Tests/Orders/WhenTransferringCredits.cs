using System.Net;
using System.Text.Json;
using Marketplace.Core.Catalog;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

/// <summary>User-to-user transfers: the same signed flow as a purchase, with a recipient instead of a product.</summary>
public sealed class WhenTransferringCredits(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Fact]
    public async Task The_credits_move_and_both_histories_show_the_transfer()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        using var recipient = await ApiClient.VerifiedAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer(recipient.User.Email, "40.00"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("960.00", body.GetProperty("new_balance").GetString());
        Assert.Equal("960.00", await sender.AvailableAsync());
        Assert.Equal("1040.00", await recipient.AvailableAsync());
        var sent = (await sender.HistoryAsync())[0];
        var received = (await recipient.HistoryAsync())[0];
        Assert.Equal(("transfer", "-40.00"), (sent.GetProperty("kind").GetString(), sent.GetProperty("amount").GetString()));
        Assert.Equal(("transfer", "40.00"), (received.GetProperty("kind").GetString(), received.GetProperty("amount").GetString()));
        Assert.Equal(sent.GetProperty("transaction_id").GetInt64(), received.GetProperty("transaction_id").GetInt64());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_receipt_names_sender_recipient_and_amount()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        var recipient = await ApiClient.RegisterVerifiedUserAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer(recipient.Email.ToUpperInvariant(), "5.00"));

        var body = await response.ReadJsonAsync();
        var receipt = JsonSerializer.Deserialize<JsonElement>(body.GetProperty("receipt").GetString()!);
        Assert.Equal("transfer", receipt.GetProperty("action").GetString());
        Assert.Equal("5.00", receipt.GetProperty("amount").GetString());
        Assert.Equal((await app.UserIdAsync(sender.User.Email)).ToString(), receipt.GetProperty("sender_id").GetString());
        Assert.Equal((await app.UserIdAsync(recipient.Email)).ToString(), receipt.GetProperty("recipient_id").GetString());
        Assert.Equal(recipient.Email, receipt.GetProperty("recipient").GetString());
        Assert.Equal("995.00", receipt.GetProperty("new_balance").GetString());
    }

    [Fact]
    public async Task A_replayed_transfer_moves_the_credits_once()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        using var recipient = await ApiClient.VerifiedAsync(app);
        var intent = Intents.Transfer(recipient.User.Email, "10.00");

        using var first = await sender.TransactAsync(intent);
        using var second = await sender.TransactAsync(intent);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("receipt").GetString(), (await second.ReadJsonAsync()).GetProperty("receipt").GetString());
        Assert.Equal("1010.00", await recipient.AvailableAsync());
    }

    [Fact]
    public async Task More_than_the_balance_is_insufficient_funds()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        using var recipient = await ApiClient.VerifiedAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer(recipient.User.Email, "1000.01"));

        await response.AssertProblemAsync(HttpStatusCode.PaymentRequired, "insufficient_funds");
        Assert.Equal("1000.00", await sender.AvailableAsync());
        Assert.Equal("1000.00", await recipient.AvailableAsync());
    }

    [Fact]
    public async Task An_unknown_recipient_is_not_found()
    {
        using var sender = await ApiClient.RegisteredAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer("nobody@example.test", "5.00"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "recipient_not_found");
        Assert.Equal("1000.00", await sender.AvailableAsync());
    }

    [Fact]
    public async Task Sending_to_yourself_is_refused()
    {
        using var sender = await ApiClient.RegisteredAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer(sender.User.Email, "5.00"));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "self_transfer");
        Assert.Equal("1000.00", await sender.AvailableAsync());
    }

    [Fact]
    public async Task A_transfer_with_a_product_field_is_malformed()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        var recipient = await ApiClient.RegisterVerifiedUserAsync(app);
        var intent = Intents.Transfer(recipient.Email, "5.00")[..^1] + $",\"product_id\":\"{DemoCatalog.Products[0].Id}\"}}";

        using var response = await sender.TransactAsync(intent);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_intent");
    }

    [Fact]
    public async Task A_transfer_is_not_listed_among_orders()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        var recipient = await ApiClient.RegisterVerifiedUserAsync(app);

        using var response = await sender.TransactAsync(Intents.Transfer(recipient.Email, "5.00"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty((await sender.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_transfer_to_an_account_that_has_not_verified_its_email_gets_422_and_nothing_is_charged()
    {
        using var sender = await ApiClient.RegisteredAsync(app);
        using var unverified = await ApiClient.RegisteredAsync(app);
        var transactionsBefore = await app.TransactionCountAsync();

        using var response = await sender.TransactAsync(Intents.Transfer(unverified.User.Email, "25.00"));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "recipient_unverified");
        Assert.Equal("1000.00", await sender.AvailableAsync());
        Assert.Equal("1000.00", await unverified.AvailableAsync());
        Assert.Equal(transactionsBefore, await app.TransactionCountAsync());
        Assert.Empty((await sender.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray());
    }
}
