using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Marketplace.Web.Tests.Api;

/// <summary>
/// Every way a request can be wrong answers a 4xx problem with a stable code, never a 500,
/// and leaves users, payments and the balance exactly as they were.
/// </summary>
public sealed class WhenApiInputIsBad(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const string Challenge = "/api/auth/challenge";
    private const string Register = "/api/auth/register";
    private const string Login = "/api/auth/login";
    private const string Initiate = "/api/payments/initiate";
    private const string Json = "application/json";

    [Theory]
    [InlineData(Challenge)]
    [InlineData(Register)]
    [InlineData(Login)]
    [InlineData(Initiate)]
    public async Task Any_json_endpoint_rejects_a_body_that_is_not_a_json_object(string path)
    {
        (string? Body, string? ContentType, HttpStatusCode Status, string Code)[] cases =
        [
            ("{\"email\":", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("{'purpose':'login'}", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("[]", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("[{\"purpose\":\"login\"}]", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("null", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("\"login\"", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("42", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("", Json, HttpStatusCode.BadRequest, "malformed_json"),
            ("{}", Json, HttpStatusCode.BadRequest, "missing_field"),
            ("{\"purpose\":\"login\"}", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("purpose=login", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("{\"purpose\":\"login\"}", null, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            (null, null, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("{\"purpose\":\"login\",\"email\":\"" + new string('a', (16 * 1024) + 1) + "\"}", Json, HttpStatusCode.RequestEntityTooLarge, "body_too_large"),
        ];
        using var client = await ApiClient.RegisteredAsync(app);

        foreach (var (body, contentType, status, code) in cases)
        {
            await AssertRejectedAsync(client, path, body, contentType, status, code);
        }
    }

    [Theory]
    [InlineData(Challenge)]
    [InlineData(Register)]
    [InlineData(Login)]
    [InlineData(Initiate)]
    public async Task Any_json_endpoint_rejects_bytes_that_are_not_valid_json_text(string path)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentsBefore = await app.CountPaymentsAsync();
        byte[][] bodies =
        [
            [.. "{\"email\":\""u8, 0xFF, 0xFE, .. "\",\"purpose\":\"login\",\"amount\":\""u8, 0xC3, 0x28, .. "\"}"u8],
            "{\"email\":\"\\ud800@example.test\",\"purpose\":\"login\",\"display_name\":\"\\udfff\",\"amount\":\"\\ud800\"}"u8.ToArray(),
            Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
            Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201)),
        ];

        foreach (var body in bodies)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(Json);

            using var response = await client.PostAsync(path, content);

            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        }

        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
        Assert.Equal("1000.00", await client.AvailableAsync());
    }

    [Theory]
    [InlineData(Challenge)]
    [InlineData(Register)]
    [InlineData(Login)]
    [InlineData(Initiate)]
    public async Task A_streamed_body_without_a_length_is_cut_off_at_16_kib(string path)
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var paymentsBefore = await app.CountPaymentsAsync();
        var body = Encoding.UTF8.GetBytes("{\"amount\":\"1.00\",\"currency\":\"USD\",\"gateway\":\"demo\",\"purpose\":\"login\",\"pad\":\"" + new string('a', 20 * 1024) + "\"}");
        var content = new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(Json);

        Assert.Null(content.Headers.ContentLength);

        using var response = await client.PostAsync(path, content);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
    }

    [Fact]
    public async Task A_body_of_exactly_16_kib_is_read()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var prefix = "{\"purpose\":\"login\",\"pad\":\"";
        var body = prefix + new string('a', (16 * 1024) - prefix.Length - 2) + "\"}";

        using var response = await client.PostAsync(Challenge, body, Json);

        Assert.Equal(16 * 1024, Encoding.UTF8.GetByteCount(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(Challenge, """{"purpose":"login","email":{}}""", 400, "malformed_json")]
    [InlineData(Challenge, """{"purpose":1}""", 400, "malformed_json")]
    [InlineData(Challenge, """{"purpose":null}""", 400, "missing_field")]
    [InlineData(Challenge, """{"purpose":"admin"}""", 400, "invalid_purpose")]
    [InlineData(Challenge, """{"purpose":"LOGIN"}""", 400, "invalid_purpose")]
    [InlineData(Register, """{"email":{},"display_name":"A","public_key":"k","challenge":"c","signature":"s"}""", 400, "malformed_json")]
    [InlineData(Register, """{"email":"a@example.test","display_name":"A","public_key":"k","challenge":"c"}""", 400, "missing_field")]
    [InlineData(Challenge, """{"purpose":"login","email":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.test"}""", 400, "invalid_email")]
    [InlineData(Register, """{"email":"a@example.test","display_name":"NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN","public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","challenge":"c","signature":"s"}""", 400, "invalid_display_name")]
    [InlineData(Register, """{"email":"not-an-email","display_name":"A","public_key":"k","challenge":"c","signature":"s"}""", 400, "invalid_email")]
    [InlineData(Register, """{"email":"a@example.test","display_name":"   ","public_key":"k","challenge":"c","signature":"s"}""", 400, "missing_field")]
    [InlineData(Register, """{"email":"a@example.test","display_name":"A","public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","challenge":"c","signature":"s"}""", 400, "invalid_signature_encoding")]
    [InlineData(Register, """{"email":"a@example.test","display_name":"A","public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","challenge":"unknown","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", 401, "challenge_rejected")]
    [InlineData(Login, """{"email":["a@example.test"],"challenge":"c","signature":"s"}""", 400, "malformed_json")]
    [InlineData(Login, """{"email":"a@example.test","challenge":"c"}""", 400, "missing_field")]
    [InlineData(Login, """{"email":"a@@example.test","challenge":"c","signature":"s"}""", 400, "invalid_email")]
    [InlineData(Login, """{"email":"a@example.test","challenge":"c","signature":"s"}""", 400, "invalid_signature_encoding")]
    [InlineData(Login, """{"email":"nobody@example.test","challenge":"unknown","signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", 401, "challenge_rejected")]
    [InlineData(Initiate, """{"amount":25,"currency":"USD","gateway":"demo"}""", 400, "malformed_json")]
    [InlineData(Initiate, """{"amount":"25.00","currency":{"code":"USD"},"gateway":"demo"}""", 400, "malformed_json")]
    [InlineData(Initiate, """{"amount":"25.00","currency":"USD"}""", 400, "missing_field")]
    [InlineData(Initiate, """{"amount":"","currency":"USD","gateway":"demo"}""", 400, "missing_field")]
    [InlineData(Initiate, """{"amount":"-5","currency":"USD","gateway":"demo"}""", 400, "amount_not_positive")]
    [InlineData(Initiate, """{"amount":"0.00","currency":"USD","gateway":"demo"}""", 400, "amount_not_positive")]
    [InlineData(Initiate, """{"amount":"1.001","currency":"USD","gateway":"demo"}""", 400, "amount_too_precise")]
    [InlineData(Initiate, """{"amount":"1.5","currency":"TZS","gateway":"demo"}""", 400, "amount_too_precise")]
    [InlineData(Initiate, """{"amount":"1e3","currency":"USD","gateway":"demo"}""", 400, "invalid_amount")]
    [InlineData(Initiate, """{"amount":"abc","currency":"USD","gateway":"demo"}""", 400, "invalid_amount")]
    [InlineData(Initiate, """{"amount":"25.","currency":"USD","gateway":"demo"}""", 400, "invalid_amount")]
    [InlineData(Initiate, """{"amount":"+25","currency":"USD","gateway":"demo"}""", 400, "invalid_amount")]
    [InlineData(Initiate, """{"amount":"NaN","currency":"USD","gateway":"demo"}""", 400, "invalid_amount")]
    [InlineData(Initiate, """{"amount":"99999999999999999999","currency":"USD","gateway":"demo"}""", 400, "invalid_amount")]
    [InlineData(Initiate, """{"amount":"1000000.01","currency":"USD","gateway":"demo"}""", 422, "amount_too_large")]
    [InlineData(Initiate, """{"amount":"999999999999999.99","currency":"USD","gateway":"demo"}""", 422, "amount_too_large")]
    [InlineData(Initiate, """{"amount":"1","currency":"TZS","gateway":"demo"}""", 422, "amount_too_small")]
    [InlineData(Initiate, """{"amount":"25.00","currency":"XYZ","gateway":"demo"}""", 400, "unsupported_currency")]
    [InlineData(Initiate, """{"amount":"25.00","currency":"USD","gateway":"demo","package_id":"gold"}""", 400, "unknown_package")]
    public async Task A_wrong_field_is_named_by_a_stable_code(string path, string body, int status, string code)
    {
        using var client = await ApiClient.RegisteredAsync(app);

        await AssertRejectedAsync(client, path, body, Json, (HttpStatusCode)status, code);
    }

    [Theory]
    [InlineData("/api/wallet/transactions?limit=0", 400, "invalid_limit")]
    [InlineData("/api/wallet/transactions?limit=101", 400, "invalid_limit")]
    [InlineData("/api/wallet/transactions?limit=abc", 400, "invalid_limit")]
    [InlineData("/api/wallet/transactions?limit=-1", 400, "invalid_limit")]
    [InlineData("/api/wallet/transactions?limit=", 400, "invalid_limit")]
    [InlineData("/api/wallet/transactions?limit=99999999999", 400, "invalid_limit")]
    [InlineData("/api/wallet/transactions?before=abc", 400, "invalid_cursor")]
    [InlineData("/api/wallet/transactions?before=0", 400, "invalid_cursor")]
    [InlineData("/api/wallet/transactions?before=-3", 400, "invalid_cursor")]
    [InlineData("/api/products?kind=weapon", 400, "invalid_kind")]
    [InlineData("/api/products?search=" + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 400, "invalid_search")]
    [InlineData("/api/products/not-a-guid", 404, "product_not_found")]
    [InlineData("/api/products/00000000-0000-0000-0000-000000000000", 404, "product_not_found")]
    [InlineData("/api/products/7f3c2a51-9d4e-4b8a-a1f0-3c5d7e9b1a24", 404, "product_not_found")]
    [InlineData("/api/payments/not-a-guid", 404, "payment_not_found")]
    [InlineData("/api/payments/7f3c2a51-9d4e-4b8a-a1f0-3c5d7e9b1a24", 404, "payment_not_found")]
    [InlineData("/api/ledger/checkpoints?limit=0", 400, "invalid_limit")]
    [InlineData("/api/ledger/checkpoints?limit=101", 400, "invalid_limit")]
    [InlineData("/api/ledger/checkpoints?limit=two", 400, "invalid_limit")]
    [InlineData("/api/ledger/checkpoints?before=abc", 400, "invalid_cursor")]
    [InlineData("/api/ledger/checkpoints?before=0", 400, "invalid_cursor")]
    [InlineData("/api/ledger/checkpoints?before=99999999999999999999", 400, "invalid_cursor")]
    [InlineData("/api/ledger/proof/consistency", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/consistency?from=1", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/consistency?from=abc&to=2", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/consistency?from=1&to=-2", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/consistency?from=1.0&to=2", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/consistency?from=0&to=99999999999999999999", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/consistency?from=5&to=2", 422, "sizes_out_of_order")]
    [InlineData("/api/ledger/proof/consistency?from=0&to=9223372036854775807", 422, "size_beyond_tree")]
    [InlineData("/api/ledger/proof/inclusion", 400, "invalid_transaction_id")]
    [InlineData("/api/ledger/proof/inclusion?tx=abc&size=1", 400, "invalid_transaction_id")]
    [InlineData("/api/ledger/proof/inclusion?tx=0&size=1", 400, "invalid_transaction_id")]
    [InlineData("/api/ledger/proof/inclusion?tx=-1&size=1", 400, "invalid_transaction_id")]
    [InlineData("/api/ledger/proof/inclusion?tx=1", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/inclusion?tx=1&size=%00", 400, "invalid_size")]
    [InlineData("/api/ledger/proof/inclusion?tx=9223372036854775807&size=1", 404, "transaction_not_found")]
    [InlineData("/api/no/such/thing", 404, "no_such_endpoint")]
    [InlineData("/api", 404, "no_such_endpoint")]
    [InlineData("/api/wallet/transact", 404, "no_such_endpoint")]
    public async Task A_bad_query_or_unknown_id_answers_a_problem(string path, int status, string code)
    {
        using var client = await ApiClient.RegisteredAsync(app);

        using var response = await client.GetAsync(path);

        await response.AssertProblemAsync((HttpStatusCode)status, code);
    }

    [Theory]
    [InlineData("/api/no/such/thing")]
    [InlineData("/api/wallet/balance")]
    [InlineData("/api/products")]
    public async Task A_post_to_a_path_without_a_post_endpoint_answers_no_such_endpoint(string path)
    {
        using var client = await ApiClient.RegisteredAsync(app);

        await AssertRejectedAsync(client, path, "{}", Json, HttpStatusCode.NotFound, "no_such_endpoint");
    }

    [Theory]
    [InlineData("/api/wallet/balance")]
    [InlineData("/api/wallet/transactions")]
    [InlineData("/api/payments/7f3c2a51-9d4e-4b8a-a1f0-3c5d7e9b1a24")]
    [InlineData("/api/ledger/proof/inclusion?tx=1&size=1")]
    public async Task Signed_in_endpoints_answer_401_to_a_visitor(string path)
    {
        using var client = ApiClient.For(app);

        using var response = await client.GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    [Fact]
    public async Task Initiating_a_payment_as_a_visitor_answers_401_and_creates_nothing()
    {
        using var client = ApiClient.For(app);
        var paymentsBefore = await app.CountPaymentsAsync();

        using var response = await client.PostJsonAsync(Initiate, new { Amount = "25.00", Currency = "USD", Gateway = "demo" });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
    }

    private async Task AssertRejectedAsync(ApiClient client, string path, string? body, string? contentType, HttpStatusCode status, string code)
    {
        var paymentsBefore = await app.CountPaymentsAsync();
        var usersBefore = await app.CountUsersAsync();

        using var response = await client.PostAsync(path, body, contentType);

        await response.AssertProblemAsync(status, code);
        Assert.Equal(paymentsBefore, await app.CountPaymentsAsync());
        Assert.Equal(usersBefore, await app.CountUsersAsync());
        var balance = await client.GetJsonAsync("/api/wallet/balance");
        Assert.Equal("1000.00", balance.GetProperty("available").GetString());
        Assert.Equal("0.00", balance.GetProperty("held").GetString());
    }

    /// <summary>A body whose length the client cannot know, so it is sent without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
