using System.Net;
using System.Net.Http.Headers;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

/// <summary>
/// Webhooks need no sign-in, so their text is whatever a stranger sends: bytes that are not UTF-8 or escapes that
/// are not Unicode are answered 400 before any checksum is computed, and nothing is stored.
/// </summary>
public sealed class WhenAClickPesaWebhookCarriesBrokenText(ClickPesaApp app) : IClassFixture<ClickPesaApp>
{
    public static TheoryData<string> LoneSurrogates => new()
    {
        "{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC1\",\"message\":\"\\ud800\"},\"checksum\":\"00\"}",
        "{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC1\",\"\\udc00\":1},\"checksum\":\"00\"}",
        "{\"event\":\"PAYMENT RECEIVED\\udfff\",\"data\":{\"orderReference\":\"MC1\"}}",
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task A_lone_surrogate_is_refused_as_malformed_json(string body)
    {
        var before = (await app.InboxAsync()).Count;
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(before, (await app.InboxAsync()).Count);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_refused_as_malformed_json()
    {
        var before = (await app.InboxAsync()).Count;
        using var http = app.CreateClient();
        byte[] body = [.. "{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC1\",\"message\":\""u8, 0xFF, 0xFE, .. "\"},\"checksum\":\"00\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync(new Uri("/api/webhooks/clickpesa", UriKind.Relative), content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(before, (await app.InboxAsync()).Count);
    }

    [Fact]
    public async Task An_order_reference_that_makes_the_event_id_too_long_is_refused_with_400()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (_, reference) = await app.StartTopUpAsync(client);
        var before = (await app.InboxAsync()).Count;
        var webhook = app.ClickPesa.Webhook("PAYMENT RECEIVED", reference, "SUCCESS", checksumKey: null)
            .Replace("\"id\":\"", "\"id\":\"" + new string('9', 300), StringComparison.Ordinal);
        var node = System.Text.Json.Nodes.JsonNode.Parse(webhook)!;
        node["checksum"] = FakeClickPesa.Checksum(FakeClickPesa.ChecksumKey, node);
        using var http = app.CreateClient();

        using var response = await FakeClickPesa.DeliverAsync(http, node.ToJsonString());

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_event_id");
        Assert.Equal(before, (await app.InboxAsync()).Count);
    }
}
