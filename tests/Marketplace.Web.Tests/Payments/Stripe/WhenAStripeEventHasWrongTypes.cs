using System.Net;
using System.Text.Json.Nodes;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// A correctly signed event whose fields have the wrong JSON types cannot be applied however often it is retried:
/// it is parked for an admin at once, with the field named, and nothing is credited.
/// </summary>
public sealed class WhenAStripeEventHasWrongTypes(StripeApp app) : IClassFixture<StripeApp>
{
    [Theory]
    [InlineData("data", "\"not an object\"")]
    [InlineData("data.object", "[1,2]")]
    [InlineData("data.object.metadata", "\"payment\"")]
    [InlineData("data.object.payment_status", "1")]
    [InlineData("data.object.amount_total", "\"2500\"")]
    [InlineData("data.object.id", "42")]
    [InlineData("data.object.currency", "{\"code\":\"usd\"}")]
    public async Task The_event_is_parked_naming_the_field_and_nothing_is_credited(string path, string json)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = app.Stripe.SessionFor(paymentId);
        session.Status = "complete";
        session.PaymentStatus = "paid";
        var eventId = app.Stripe.NewEventId();
        var evt = JsonNode.Parse(FakeStripe.EventJson(StripeEvents.Completed, session, eventId))!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(evt, (node, name) => node[name]!);
        parent[parts[^1]] = JsonNode.Parse(json);

        using var response = await app.Stripe.SendEventAsync(evt.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = await app.SettledInboxRowAsync(eventId);
        Assert.Equal(WebhookStatus.Parked, row!.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains(parts[^1], row.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await app.TopUpCountAsync(paymentId));
        Assert.Equal("1000.00", await client.AvailableAsync());
    }
}
