using System.Net;
using System.Net.Http.Headers;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>A correctly signed event is still text from outside: if it is not Unicode it is answered 400 and not stored.</summary>
public sealed class WhenAStripeWebhookCarriesBrokenText(StripeApp app) : IClassFixture<StripeApp>
{
    [Theory]
    [InlineData("{\"id\":\"evt_\\ud800\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{}}}")]
    [InlineData("{\"id\":\"evt_lone_in_data\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"metadata\":{\"payment_id\":\"\\udc00\"}}}}")]
    [InlineData("{\"id\":\"evt_lone_in_name\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"\\ud800\":{}}}")]
    public async Task A_signed_event_with_a_lone_surrogate_is_refused_as_malformed_json(string payload)
    {
        var before = await app.InboxCountAsync();

        using var response = await app.Stripe.SendEventAsync(payload);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(before, await app.InboxCountAsync());
    }

    [Fact]
    public async Task A_signed_event_with_bytes_that_are_not_utf8_is_refused_as_malformed_json()
    {
        var before = await app.InboxCountAsync();
        byte[] body = [.. "{\"id\":\"evt_bad_utf8\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"cs_"u8, 0xFF, 0xFE, .. "\"}}}"u8];
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/webhooks/stripe", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(FakeStripe.SignatureHeader, FakeStripe.Sign(body, FakeStripe.WebhookSecret, DateTimeOffset.UtcNow));

        using var response = await http.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(before, await app.InboxCountAsync());
    }
}
