using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Testing;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>Scenario 3 over HTTP: the app against the fake Stripe, webhooks through the inbox.</summary>
public sealed class WhenPayingWithStripe(StripeApp app) : IClassFixture<StripeApp>
{
    private FakeStripe Stripe => app.Stripe;

    [Fact]
    public async Task Initiating_creates_a_checkout_session_carrying_the_payment_and_sends_the_shopper_to_it()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        var (paymentId, paymentUrl) = await client.StartStripeTopUpAsync("25.00", "USD");

        var session = Stripe.SessionFor(paymentId);
        Assert.Equal(new Uri(session.Url), paymentUrl);
        var create = Stripe.Requests.Single(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions" && r.Form.GetValueOrDefault("metadata[payment_id]") == paymentId.ToString("N"));
        Assert.Equal("payment", create.Form["mode"]);
        Assert.Equal("usd", create.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("2500", create.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("1", create.Form["line_items[0][quantity]"]);
        Assert.Equal("25.00 MC marketplace credits", create.Form["line_items[0][price_data][product_data][name]"]);
        Assert.Equal(paymentId.ToString("N"), create.Form["client_reference_id"]);
        Assert.Equal(paymentId.ToString("N"), create.Form["payment_intent_data[metadata][payment_id]"]);
        Assert.Equal($"{MarketplaceApp.Origin}/payments/{paymentId}?session_id={{CHECKOUT_SESSION_ID}}", create.Form["success_url"]);
        Assert.Equal($"{MarketplaceApp.Origin}/payments/{paymentId}/cancelled", create.Form["cancel_url"]);
        Assert.True(long.Parse(create.Form["expires_at"], System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(29).ToUnixTimeSeconds());
        Assert.Equal($"Bearer {FakeStripe.SecretKey}", create.Headers["Authorization"]);
        Assert.Equal(StripeOptions.DefaultApiVersion, create.Headers["Stripe-Version"]);
        Assert.Equal(StripeGateway.IdempotencyKey(paymentId, "checkout"), create.Headers["Idempotency-Key"]);
        Assert.Equal("pending", await client.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_tzs_amount_is_sent_in_stripes_two_decimal_minor_units()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        var (paymentId, _) = await client.StartStripeTopUpAsync("25000", "TZS");

        var create = Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions" && r.Form.GetValueOrDefault("metadata[payment_id]") == paymentId.ToString("N"));
        Assert.Equal("tzs", create.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("2500000", create.Form["line_items[0][price_data][unit_amount]"]);
    }

    [Fact]
    public async Task A_paid_completed_event_credits_once_and_its_redelivery_changes_nothing()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = Paid(Stripe.SessionFor(paymentId));
        var eventId = Stripe.NewEventId();
        var payload = FakeStripe.EventJson(StripeEvents.Completed, session, eventId);

        using var first = await Stripe.SendEventAsync(payload);
        await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        using var again = await Stripe.SendEventAsync(payload);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal("1025.00", await client.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
        var row = await app.SettledInboxRowAsync(eventId);
        Assert.Equal(WebhookStatus.Done, row!.Status);
        Assert.Equal(paymentId, row.PaymentId);
    }

    [Fact]
    public async Task The_same_event_delivered_twenty_times_at_once_credits_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var eventId = Stripe.NewEventId();
        var payload = FakeStripe.EventJson(StripeEvents.Completed, Paid(Stripe.SessionFor(paymentId)), eventId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Stripe.SendEventAsync(payload))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        await app.SettledInboxRowAsync(eventId);
        Assert.Equal("1025.00", await client.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
    }

    [Fact]
    public async Task A_completed_event_after_the_expired_one_still_credits_exactly_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = Stripe.SessionFor(paymentId);

        session.Status = "expired";
        using (await Stripe.SendEventAsync(StripeEvents.Expired, session))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "expired");
        }

        // Out of order: Stripe took the money, and its completed event arrives after the expiry.
        using (await Stripe.SendEventAsync(StripeEvents.Completed, Paid(session)))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "succeeded");
        }

        var lateEvent = Stripe.NewEventId();
        using (await Stripe.SendEventAsync(StripeEvents.AsyncSucceeded, session, lateEvent))
        {
            await app.SettledInboxRowAsync(lateEvent);
        }

        Assert.Equal("1025.00", await client.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
    }

    [Fact]
    public async Task An_async_success_after_the_completed_event_credits_exactly_once()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = Paid(Stripe.SessionFor(paymentId));
        var completed = Stripe.NewEventId();
        var asyncSucceeded = Stripe.NewEventId();

        using (await Stripe.SendEventAsync(StripeEvents.Completed, session, completed))
        using (await Stripe.SendEventAsync(StripeEvents.AsyncSucceeded, session, asyncSucceeded))
        {
            await app.SettledInboxRowAsync(completed);
            await app.SettledInboxRowAsync(asyncSucceeded);
        }

        Assert.Equal("succeeded", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("1025.00", await client.AvailableAsync());
        Assert.Equal(1, await app.TopUpCountAsync(paymentId));
    }

    [Fact]
    public async Task A_completed_but_unpaid_session_waits_and_an_async_failure_fails_it_without_credits()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var session = Stripe.SessionFor(paymentId);
        session.Status = "complete";
        var completed = Stripe.NewEventId();

        using (await Stripe.SendEventAsync(StripeEvents.Completed, session, completed))
        {
            Assert.Equal(WebhookStatus.Done, (await app.SettledInboxRowAsync(completed))!.Status);
        }

        Assert.Equal("pending", await client.PaymentStatusAsync(paymentId));
        using (await Stripe.SendEventAsync(StripeEvents.AsyncFailed, session))
        {
            await client.PaymentStatusBecomesAsync(paymentId, "failed");
        }

        Assert.Equal("1000.00", await client.AvailableAsync());
        Assert.Equal(0, await app.TopUpCountAsync(paymentId));
    }

    [Fact]
    public async Task A_paid_amount_that_differs_from_the_payment_is_parked_for_an_admin_and_not_credited()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var eventId = Stripe.NewEventId();

        using (await Stripe.SendEventAsync(FakeStripe.EventJson(StripeEvents.Completed, Paid(Stripe.SessionFor(paymentId)), eventId, amountTotal: 100)))
        {
            var row = await app.SettledInboxRowAsync(eventId);
            Assert.Equal(WebhookStatus.Parked, row!.Status);
            Assert.Contains("not credited", row.LastError, StringComparison.Ordinal);
        }

        Assert.Equal("pending", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("wrong secret")]
    [InlineData("stale timestamp")]
    [InlineData("no signature")]
    public async Task An_event_that_fails_verification_is_refused_with_401_and_nothing_is_stored(string how)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var (paymentId, _) = await client.StartStripeTopUpAsync();
        var payload = FakeStripe.EventJson(StripeEvents.Completed, Paid(Stripe.SessionFor(paymentId)), Stripe.NewEventId());
        var stored = await app.InboxCountAsync();

        using var response = how switch
        {
            "tampered body" => await Stripe.SendEventAsync(payload, afterSigning: p => p.Replace("\"amount_total\":2500", "\"amount_total\":2501", StringComparison.Ordinal)),
            "wrong secret" => await Stripe.SendEventAsync(payload, secret: "whsec_someoneelse"),
            "stale timestamp" => await Stripe.SendEventAsync(payload, signedAt: DateTimeOffset.UtcNow.AddSeconds(-301)),
            _ => await Stripe.SendEventAsync(payload, withSignature: false),
        };

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_webhook_signature");
        Assert.Equal(stored, await app.InboxCountAsync());
        Assert.Equal("pending", await client.PaymentStatusAsync(paymentId));
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413_and_nothing_is_stored()
    {
        var stored = await app.InboxCountAsync();
        var huge = "{\"id\":\"evt_huge\",\"type\":\"checkout.session.completed\",\"padding\":\"" + new string('x', 300 * 1024) + "\"}";

        using var response = await Stripe.SendEventAsync(huge);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Equal(stored, await app.InboxCountAsync());
    }

    [Fact]
    public async Task A_webhook_needs_no_csrf_token_and_no_session()
    {
        using var anonymous = new HttpClient(app.Server.CreateHandler()) { BaseAddress = new Uri(MarketplaceApp.Origin) };
        var session = new FakeStripeSession { Id = "cs_test_unrelated", AmountTotal = 500, Currency = "usd", SuccessUrl = "x", CancelUrl = "x", Metadata = new Dictionary<string, string>(), Url = "x" };
        var eventId = Stripe.NewEventId();
        var payload = FakeStripe.EventJson(StripeEvents.Completed, session, eventId);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/webhooks/stripe", UriKind.Relative)) { Content = new StringContent(payload) };
        request.Headers.TryAddWithoutValidation(FakeStripe.SignatureHeader, FakeStripe.Sign(System.Text.Encoding.UTF8.GetBytes(payload), FakeStripe.WebhookSecret, DateTimeOffset.UtcNow));

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A session that carries no payment of ours is acknowledged and left alone.
        Assert.Equal(WebhookStatus.Done, (await app.SettledInboxRowAsync(eventId))!.Status);
    }

    private static FakeStripeSession Paid(FakeStripeSession session)
    {
        session.Status = "complete";
        session.PaymentStatus = "paid";
        return session;
    }
}
