using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

public sealed class WhenClickPesaSendsAWebhook(ClickPesaApp app) : IClassFixture<ClickPesaApp>
{
    private const string Received = "PAYMENT RECEIVED";
    private const string Failed = "PAYMENT FAILED";

    [Fact]
    public async Task A_confirmed_payment_is_credited_once_however_often_it_is_delivered()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper, "25000", "TZS");
        app.ClickPesa.SetStatus(reference, "SUCCESS");
        var webhook = app.ClickPesa.Webhook(Received, reference, "SUCCESS");
        using var http = app.CreateClient();

        using var first = await FakeClickPesa.DeliverAsync(http, webhook);
        await ClickPesaApp.UntilAsync(async () => await app.TopUpCountAsync(id) == 1, "the top-up");
        using var again = await FakeClickPesa.DeliverAsync(http, webhook);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        await ClickPesaApp.UntilAsync(async () => (await app.InboxItemForAsync(reference)).Status == WebhookStatus.Done, "the inbox row to be done");
        Assert.Equal("1010.00", await shopper.AvailableAsync());
        Assert.Equal("succeeded", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
        Assert.Equal(1, await app.TopUpCountAsync(id));
        Assert.Single(await app.InboxAsync(), i => i.Payload.Contains(reference, StringComparison.Ordinal));
        Assert.Contains(app.ClickPesa.Requests, r => r.Method == "GET" && r.Path == $"/third-parties/payments/{reference}" && r.Authorization!.StartsWith("Bearer ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_webhook_delivered_concurrently_credits_once()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper, "10.00", "USD");
        app.ClickPesa.SetStatus(reference, "SETTLED");
        var webhook = app.ClickPesa.Webhook(Received, reference, "SUCCESS");
        using var http = app.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => FakeClickPesa.DeliverAsync(http, webhook))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await ClickPesaApp.UntilAsync(async () => await app.TopUpCountAsync(id) == 1, "the top-up");
        await ClickPesaApp.UntilAsync(async () => (await app.InboxItemForAsync(reference)).Status == WebhookStatus.Done, "the inbox row to be done");
        Assert.Equal("1010.00", await shopper.AvailableAsync());
        Assert.Single(await app.InboxAsync(), i => i.Payload.Contains(reference, StringComparison.Ordinal));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_received_webhook_is_not_credited_when_the_status_query_says_failed()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper);
        app.ClickPesa.SetStatus(reference, "FAILED");
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook(Received, reference, "SUCCESS"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ClickPesaApp.UntilAsync(async () => (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString() == "failed", "the payment to fail");
        Assert.Equal("1000.00", await shopper.AvailableAsync());
        Assert.Equal(0, await app.TopUpCountAsync(id));
        Assert.Contains("Insufficient balance", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("failure_reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_payment_failed_webhook_fails_the_payment()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper);
        app.ClickPesa.SetStatus(reference, "FAILED");
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook(Failed, reference, "FAILED"));

        await ClickPesaApp.UntilAsync(async () => (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString() == "failed", "the payment to fail");
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_payment_still_processing_is_credited_once_a_retry_finds_it_paid()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper);
        app.ClickPesa.SetStatus(reference, "PROCESSING");
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook(Received, reference, "SUCCESS"));
        await ClickPesaApp.UntilAsync(async () => (await app.InboxItemForAsync(reference)).LastError?.Contains("PROCESSING", StringComparison.Ordinal) == true, "a retry to be scheduled");
        Assert.Equal(0, await app.TopUpCountAsync(id));
        app.ClickPesa.SetStatus(reference, "SUCCESS");

        await ClickPesaApp.UntilAsync(async () => await app.TopUpCountAsync(id) == 1, "the top-up after a retry");
        Assert.Equal("1010.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_paid_status_with_a_different_amount_is_parked_for_an_admin_not_credited()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper, "25000", "TZS");
        app.ClickPesa.SetStatus(reference, "SUCCESS", collectedAmount: "2500");
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook(Received, reference, "SUCCESS"));

        await ClickPesaApp.UntilAsync(async () => (await app.InboxItemForAsync(reference)).Status == WebhookStatus.Parked, "the row to be parked");
        Assert.Contains("2500 TZS", (await app.InboxItemForAsync(reference)).LastError, StringComparison.Ordinal);
        Assert.Equal(0, await app.TopUpCountAsync(id));
        Assert.Equal("pending", (await shopper.GetJsonAsync($"/api/payments/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_older_field_names_are_understood()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper, "10.00", "USD");
        app.ClickPesa.SetStatus(reference, "SUCCESS", collectedAmount: "10");
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook(Received, reference, "SUCCESS", legacy: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ClickPesaApp.UntilAsync(async () => await app.TopUpCountAsync(id) == 1, "the top-up");
        Assert.Equal("1010.00", await shopper.AvailableAsync());
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData(null)]
    public async Task A_bad_or_missing_checksum_is_refused_with_401_and_nothing_is_stored(string? checksumKey)
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (id, reference) = await app.StartTopUpAsync(shopper);
        app.ClickPesa.SetStatus(reference, "SUCCESS");
        var inboxBefore = (await app.InboxAsync()).Count;
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, app.ClickPesa.Webhook(Received, reference, "SUCCESS", checksumKey));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_webhook_signature");
        Assert.Equal(inboxBefore, (await app.InboxAsync()).Count);
        Assert.Equal(0, await app.TopUpCountAsync(id));
        Assert.Equal("1000.00", await shopper.AvailableAsync());
    }

    [Fact]
    public async Task A_payload_altered_after_signing_is_refused()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var (_, reference) = await app.StartTopUpAsync(shopper);
        var inboxBefore = (await app.InboxAsync()).Count;
        using var http = app.CreateClient();
        var tampered = app.ClickPesa.Webhook(Received, reference, "SUCCESS").Replace("\"25000\"", "\"2500000\"", StringComparison.Ordinal);

        using var response = await FakeClickPesa.DeliverAsync(http, tampered);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_webhook_signature");
        Assert.Equal(inboxBefore, (await app.InboxAsync()).Count);
    }

    [Fact]
    public async Task Events_other_than_payments_are_acknowledged_and_dropped()
    {
        using var http = app.CreateClient();
        var inboxBefore = (await app.InboxAsync()).Count;
        var payout = new System.Text.Json.Nodes.JsonObject { ["event"] = "PAYOUT INITIATED", ["data"] = new System.Text.Json.Nodes.JsonObject { ["orderReference"] = "PAYOUT1" } };
        payout["checksum"] = FakeClickPesa.Checksum(FakeClickPesa.ChecksumKey, payout);

        using var response = await FakeClickPesa.DeliverAsync(http, payout.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(inboxBefore, (await app.InboxAsync()).Count);
    }
}
