using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Testing;

namespace Marketplace.Web.Tests.Payments.Stripe;

/// <summary>
/// The fake answers only what Stripe.net actually sends, so the Stripe tests fail if the app ever sends something else:
/// another API version, a body that is not a form, a parameter Checkout does not know, metadata past Stripe's limits.
/// </summary>
public sealed class WhenTheFakeStripeGetsAWrongRequest(StripeApp app) : IClassFixture<StripeApp>
{
    private static readonly Dictionary<string, string> Create = new()
    {
        ["mode"] = "payment",
        ["line_items[0][price_data][currency]"] = "usd",
        ["line_items[0][price_data][unit_amount]"] = "2500",
        ["line_items[0][price_data][product_data][name]"] = "credits",
        ["line_items[0][quantity]"] = "1",
        ["success_url"] = "http://localhost/ok",
        ["cancel_url"] = "http://localhost/back",
    };

    [Fact]
    public async Task The_request_stripe_net_would_send_is_answered_with_a_session()
    {
        using var response = await SendAsync(new FormUrlEncodedContent(Create));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("checkout.session", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("object").GetString());
    }

    [Fact]
    public async Task Another_api_version_is_refused()
    {
        using var response = await SendAsync(new FormUrlEncodedContent(Create), version: "2020-08-27");

        await AssertStripeErrorAsync(response, null);
    }

    [Fact]
    public async Task A_json_body_is_refused()
    {
        using var response = await SendAsync(JsonContent.Create(Create));

        await AssertStripeErrorAsync(response, null);
    }

    [Theory]
    [InlineData("line_items[0][price_data][unit_amount_decimal]", "2500", "parameter_unknown")]
    [InlineData("payment_method_types[0]", "card", "parameter_unknown")]
    [InlineData("metadata[a_key_longer_than_forty_characters_is_refused]", "x", "parameter_invalid_string_too_long")]
    [InlineData("line_items[0][price_data][currency]", "USD", "parameter_invalid")]
    [InlineData("line_items[0][quantity]", "0", "parameter_invalid_integer")]
    public async Task A_parameter_stripe_would_refuse_is_refused(string key, string value, string code)
    {
        var form = new Dictionary<string, string>(Create) { [key] = value };

        using var response = await SendAsync(new FormUrlEncodedContent(form));

        await AssertStripeErrorAsync(response, code);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpContent content, string? version = null)
    {
        using var http = new HttpClient { BaseAddress = app.Stripe.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/checkout/sessions", UriKind.Relative)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeStripe.SecretKey);
        request.Headers.Add("Stripe-Version", version ?? StripeOptions.DefaultApiVersion);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await http.SendAsync(request);
    }

    private static async Task AssertStripeErrorAsync(HttpResponseMessage response, string? code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }
    }
}
