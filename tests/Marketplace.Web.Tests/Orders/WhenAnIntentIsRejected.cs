using System.Net;
using Marketplace.Core.Catalog;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Orders;

/// <summary>Each check of a signed intent fails on its own with its own status and code, and nothing is charged.</summary>
public sealed class WhenAnIntentIsRejected(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private static readonly long FiveMinutesMs = (long)TimeSpan.FromMinutes(5).TotalMilliseconds;

    [Fact]
    public async Task An_intent_altered_after_signing_is_a_bad_signature()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var signed = Intents.Spend(Intents.IconPack, "12.50");
        var altered = signed.Replace("\"quantity\":1", "\"quantity\":2", StringComparison.Ordinal).Replace("12.50", "25.00", StringComparison.Ordinal);

        using var response = await client.PostJsonAsync("/api/wallet/transact", new { Intent = altered, client.User.PublicKey, Signature = client.User.Sign(signed) });

        await AssertNothingChargedAsync(client, response, HttpStatusCode.Unauthorized, "bad_signature");
    }

    [Fact]
    public async Task An_intent_signed_by_another_key_is_a_bad_signature()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var stranger = TestUser.New();

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50"), signer: stranger, publicKey: client.User.PublicKey);

        await AssertNothingChargedAsync(client, response, HttpStatusCode.Unauthorized, "bad_signature");
    }

    [Fact]
    public async Task An_intent_with_another_users_public_key_is_refused_before_its_signature_is_checked()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var other = await ApiClient.RegisterUserAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50"), signer: other);

        await AssertNothingChargedAsync(client, response, HttpStatusCode.Unauthorized, "public_key_mismatch");
    }

    [Fact]
    public async Task An_intent_for_another_site_is_refused()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", audience: "https://evil.example"));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "wrong_audience");
    }

    [Fact]
    public async Task An_intent_older_than_five_minutes_is_stale()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", timestamp: Intents.Now() - FiveMinutesMs - 30_000));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "stale_intent");
    }

    [Fact]
    public async Task An_intent_more_than_five_minutes_in_the_future_is_refused()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", timestamp: Intents.Now() + FiveMinutesMs + 30_000));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "future_intent");
    }

    [Fact]
    public async Task An_intent_a_little_off_the_servers_clock_is_accepted()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", timestamp: Intents.Now() - FiveMinutesMs + 30_000));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("12.49", 1)]
    [InlineData("12.51", 1)]
    [InlineData("12.50", 2)]
    [InlineData("0.01", 1)]
    public async Task An_amount_that_is_not_the_price_times_the_quantity_is_refused(string amount, int quantity)
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, amount, quantity));

        var problem = await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "price_mismatch");
        Assert.Equal(quantity == 2 ? "25.00" : "12.50", problem.GetProperty("expected_amount").GetString());
    }

    [Fact]
    public async Task A_quantity_is_charged_as_price_times_quantity()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        var body = await client.BuyAsync(Intents.IconPack, "37.50", quantity: 3);

        Assert.Equal("962.50", body.GetProperty("new_balance").GetString());
    }

    [Fact]
    public async Task An_unknown_product_is_not_found()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Guid.NewGuid(), "12.50"));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.NotFound, "product_not_found");
    }

    [Fact]
    public async Task A_product_no_longer_for_sale_is_refused()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var withdrawn = await app.ListProductAsync(Core.Catalog.DemoCatalog.PixelForge, "5.00", ProductKind.Digital, available: false);

        using var response = await client.TransactAsync(Intents.Spend(withdrawn, "5.00"));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "product_unavailable");
    }

    [Fact]
    public async Task A_seller_cannot_buy_their_own_product()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var own = await app.ListProductAsync(await app.UserIdAsync(client.User.Email), "5.00");

        using var response = await client.TransactAsync(Intents.Spend(own, "5.00"));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "own_product");
    }

    [Fact]
    public async Task A_currency_other_than_credits_is_refused()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", currency: "USD"));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.UnprocessableEntity, "unsupported_currency");
    }

    [Fact]
    public async Task A_nonce_used_before_for_a_different_intent_is_a_conflict()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var nonce = Intents.NewNonce();
        await client.BuyAsync(Intents.IconPack, "12.50");
        using (var first = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", nonce: nonce)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var second = await client.TransactAsync(Intents.Spend(Intents.IconPack, "25.00", quantity: 2, nonce: nonce));

        await second.AssertProblemAsync(HttpStatusCode.Conflict, "nonce_reused");
        Assert.Equal("975.00", await client.AvailableAsync());
        Assert.Equal(2, (await client.GetJsonAsync("/api/orders")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_nonce_used_for_a_purchase_cannot_be_reused_for_a_transfer()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var friend = await ApiClient.RegisterUserAsync(app);
        var nonce = Intents.NewNonce();
        using (var first = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50", nonce: nonce)))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var second = await client.TransactAsync(Intents.Transfer(friend.Email, "5.00", nonce: nonce));

        await second.AssertProblemAsync(HttpStatusCode.Conflict, "nonce_reused");
        Assert.Equal("987.50", await client.AvailableAsync());
    }

    [Fact]
    public async Task A_purchase_beyond_the_balance_is_insufficient_funds()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var pricey = await app.ListProductAsync(Core.Catalog.DemoCatalog.PixelForge, "1000.01");

        using var response = await client.TransactAsync(Intents.Spend(pricey, "1000.01"));

        await AssertNothingChargedAsync(client, response, HttpStatusCode.PaymentRequired, "insufficient_funds");
    }

    [Fact]
    public async Task Signed_out_the_endpoint_answers_401()
    {
        using var client = ApiClient.For(app);
        var user = TestUser.New();

        using var response = await client.TransactAsync(Intents.Spend(Intents.IconPack, "12.50"), signer: user);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    [Fact]
    public async Task The_checks_run_in_the_specified_order()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var stranger = TestUser.New();
        var stale = Intents.Now() - (2 * FiveMinutesMs);

        // Wrong key beats everything after it; a bad signature beats audience; audience beats time; time beats price.
        using var wrongKey = await client.TransactAsync(Intents.Spend(Intents.IconPack, "1.00", timestamp: stale, audience: "https://evil.example"), signer: stranger, publicKey: stranger.PublicKey);
        using var badSignature = await client.TransactAsync(Intents.Spend(Intents.IconPack, "1.00", timestamp: stale, audience: "https://evil.example"), signer: stranger, publicKey: client.User.PublicKey);
        using var wrongAudience = await client.TransactAsync(Intents.Spend(Intents.IconPack, "1.00", timestamp: stale, audience: "https://evil.example"));
        using var staleAndWrongPrice = await client.TransactAsync(Intents.Spend(Intents.IconPack, "1.00", timestamp: stale));
        using var unknownProductBeforePrice = await client.TransactAsync(Intents.Spend(Guid.NewGuid(), "1.00"));

        await wrongKey.AssertProblemAsync(HttpStatusCode.Unauthorized, "public_key_mismatch");
        await badSignature.AssertProblemAsync(HttpStatusCode.Unauthorized, "bad_signature");
        await wrongAudience.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "wrong_audience");
        await staleAndWrongPrice.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "stale_intent");
        await unknownProductBeforePrice.AssertProblemAsync(HttpStatusCode.NotFound, "product_not_found");
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    public static TheoryData<string, string, string> MalformedIntents => new()
    {
        { "not json", "malformed_intent", "intent" },
        { "[1,2]", "malformed_intent", "intent" },
        { """{"action":"refund","amount":"12.50"}""", "invalid_action", "action" },
        { """{"action":"spend","amount":"12.50","currency":"MC","product_id":"9d0d0c7a-0000-4000-8000-000000000001","quantity":1,"timestamp":1,"nonce":"AAAAAAAAAAAAAAAAAAAAAA"}""", "missing_field", "audience" },
        { Field("amount", "12.5"), "invalid_amount", "amount" },
        { Field("amount", "1,012.50"), "invalid_amount", "amount" },
        { Field("amount", "0.00"), "invalid_amount", "amount" },
        { Field("amount", "-12.50"), "invalid_amount", "amount" },
        { Raw("amount", "12.50"), "invalid_amount", "amount" },
        { Raw("quantity", "0"), "invalid_quantity", "quantity" },
        { Raw("quantity", "-1"), "invalid_quantity", "quantity" },
        { Raw("quantity", "1.5"), "invalid_quantity", "quantity" },
        { Field("quantity", "1"), "invalid_quantity", "quantity" },
        { Raw("quantity", "1001"), "invalid_quantity", "quantity" },
        { Field("timestamp", "1700000000000"), "invalid_timestamp", "timestamp" },
        { Raw("timestamp", "1.7e12"), "invalid_timestamp", "timestamp" },
        { Field("nonce", "tooShort"), "invalid_nonce", "nonce" },
        { Field("nonce", "AAAAAAAAAAAAAAAAAAAAA+AA"), "invalid_nonce", "nonce" },
        { Field("nonce", new string('A', 65)), "invalid_nonce", "nonce" },
        { Field("product_id", "icon-pack"), "invalid_product_id", "product_id" },
        { Raw("currency", "null"), "invalid_currency", "currency" },
        { Raw("audience", "\"\""), "invalid_audience", "audience" },
        { Valid()[..^1] + ""","note":"hi"}""", "malformed_intent", "note" },
        { Valid()[..^1] + ""","quantity":2}""", "malformed_intent", "quantity" },
    };

    [Theory]
    [MemberData(nameof(MalformedIntents))]
    public async Task A_malformed_intent_is_a_bad_request_that_names_the_field(string intent, string code, string field)
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.TransactAsync(intent);

        var problem = await AssertNothingChargedAsync(client, response, HttpStatusCode.BadRequest, code);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"public_key":"k","signature":"s"}""", "missing_field")]
    [InlineData("""{"intent":{"action":"spend"},"public_key":"k","signature":"s"}""", "malformed_json")]
    [InlineData("""{"intent":"{}","public_key":"not base64url!","signature":"s"}""", "invalid_public_key")]
    public async Task A_malformed_body_is_a_bad_request(string body, string code)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        body = body.Replace("\"intent\":\"{}\"", $"\"intent\":{System.Text.Json.JsonSerializer.Serialize(Valid())}", StringComparison.Ordinal);

        using var response = await client.PostAsync("/api/wallet/transact", body, "application/json");

        await AssertNothingChargedAsync(client, response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task A_signature_that_is_not_64_bytes_is_a_bad_request()
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.PostJsonAsync("/api/wallet/transact", new { Intent = Valid(), client.User.PublicKey, Signature = "AAAA" });

        await AssertNothingChargedAsync(client, response, HttpStatusCode.BadRequest, "invalid_signature_encoding");
    }

    private static string Valid() => Intents.Spend(Intents.IconPack, "12.50");

    /// <summary>A valid intent with one field replaced by a JSON string value.</summary>
    private static string Field(string name, string value) => Raw(name, System.Text.Json.JsonSerializer.Serialize(value));

    /// <summary>A valid intent with one field replaced by raw JSON.</summary>
    private static string Raw(string name, string json)
    {
        var fields = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(Valid())!;
        var parts = fields.Select(f => $"\"{f.Key}\":{(f.Key == name ? json : f.Value.GetRawText())}");
        return "{" + string.Join(',', parts) + "}";
    }

    private static async Task<System.Text.Json.JsonElement> AssertNothingChargedAsync(ApiClient client, HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await response.AssertProblemAsync(status, code);
        Assert.Equal(("1000.00", "0.00"), await client.BalanceAsync());
        Assert.Empty((await client.GetJsonAsync("/api/orders")).GetProperty("items").EnumerateArray());
        return problem;
    }
}
