using System.Text;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Tests.Support;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Tests.Payments.ClickPesa;

public sealed class WhenReadingClickPesaNotifications
{
    [Fact]
    public void The_current_field_names_are_read()
    {
        var notification = ClickPesaNotification.TryParse("""{"event":"PAYMENT RECEIVED","data":{"id":"LWK1","status":"SUCCESS","orderReference":"MCABC","collectedAmount":"25000","collectedCurrency":"TZS"}}""");

        Assert.Equal(new ClickPesaNotification("PAYMENT RECEIVED", "MCABC", "LWK1", "SUCCESS", "25000", "TZS"), notification);
        Assert.True(notification!.IsPaymentEvent);
        Assert.Equal("PAYMENT RECEIVED:LWK1", notification.EventId("{}"u8));
    }

    [Fact]
    public void The_older_field_names_are_read_too()
    {
        var notification = ClickPesaNotification.TryParse("""{"eventType":"PAYMENT FAILED","data":{"paymentId":"LWK2","status":"FAILED","orderReference":"MCABC","amount":25.5,"currency":"USD"}}""");

        Assert.Equal(new ClickPesaNotification("PAYMENT FAILED", "MCABC", "LWK2", "FAILED", "25.5", "USD"), notification);
    }

    [Fact]
    public void Without_a_payment_id_the_event_id_comes_from_the_body()
    {
        var notification = ClickPesaNotification.TryParse("""{"event":"PAYMENT RECEIVED","orderReference":"MCABC"}""")!;

        var first = notification.EventId(Encoding.UTF8.GetBytes("one body"));

        Assert.StartsWith("PAYMENT RECEIVED:MCABC:", first, StringComparison.Ordinal);
        Assert.Equal(first, notification.EventId(Encoding.UTF8.GetBytes("one body")));
        Assert.NotEqual(first, notification.EventId(Encoding.UTF8.GetBytes("another body")));
    }

    [Theory]
    [InlineData("""{"event":"PAYOUT INITIATED","data":{"orderReference":"P1"}}""")]
    public void Payout_events_are_not_payment_events(string json)
    {
        Assert.False(ClickPesaNotification.TryParse(json)!.IsPaymentEvent);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"data":{"orderReference":"MCABC"}}""")]
    [InlineData("""{"event":"PAYMENT RECEIVED","data":{"status":"SUCCESS"}}""")]
    public void Something_without_an_event_and_an_order_reference_is_not_a_notification(string json)
    {
        Assert.Null(ClickPesaNotification.TryParse(json));
    }

    [Theory]
    [InlineData("25000", "TZS", 25000, "TZS", true)]
    [InlineData("25000.00", "TZS", 25000, "TZS", true)]
    [InlineData("25000.50", "TZS", 25000, "TZS", false)]
    [InlineData("10", "usd", 1000, "USD", true)]
    [InlineData("10.5", "USD", 1050, "USD", true)]
    [InlineData("10.50", "USD", 1000, "USD", false)]
    [InlineData("10.00", "TZS", 1000, "USD", false)]
    [InlineData("ten", "USD", 1000, "USD", false)]
    public void The_collected_amount_must_equal_the_payment(string collected, string collectedCurrency, long expectedMinor, string expectedCurrency, bool matches)
    {
        var entry = new ClickPesaPaymentStatus("LWK1", "SUCCESS", "MCABC", collected, collectedCurrency, null);

        Assert.Equal(matches, ClickPesaGateway.Matches(entry, new Core.Money(expectedMinor, Currency.Find(expectedCurrency))));
    }

    [Fact]
    public void The_order_reference_is_twenty_letters_and_digits_from_the_payment_id()
    {
        var id = Guid.Parse("3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b");

        Assert.Equal("MC3F2A9C1E7B4D4E8F9A", ClickPesaGateway.OrderReference(id));
    }

    [Theory]
    [InlineData("CLICKPESA_CLIENT_ID", "CLICKPESA_API_KEY")]
    [InlineData("CLICKPESA_API_KEY", "CLICKPESA_CLIENT_ID")]
    public void One_credential_without_the_other_stops_the_start_naming_the_missing_one(string present, string missing)
    {
        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<ClickPesaOptions>(new() { [present] = "x" }));

        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_api_base_stops_the_start_naming_it()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<ClickPesaOptions>(new() { ["CLICKPESA_CLIENT_ID"] = "id", ["CLICKPESA_API_KEY"] = "key", ["CLICKPESA_CHECKSUM_KEY"] = "sum", ["CLICKPESA_API_BASE"] = "ftp://nowhere" }));

        Assert.Contains("'CLICKPESA_API_BASE'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_credentials_clickpesa_is_not_offered_and_with_them_the_base_ends_in_a_slash()
    {
        Assert.False(SettingsReading.Read<ClickPesaOptions>([]).IsConfigured);
        var options = SettingsReading.Read<ClickPesaOptions>(new() { ["CLICKPESA_CLIENT_ID"] = "id", ["CLICKPESA_API_KEY"] = "key", ["CLICKPESA_CHECKSUM_KEY"] = "sum", ["CLICKPESA_API_BASE"] = "http://127.0.0.1:5000/third-parties" });

        Assert.Equal("http://127.0.0.1:5000/third-parties/", options.ApiBase.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5000/third-parties/generate-token", new Uri(options.ApiBase, "generate-token").AbsoluteUri);
        Assert.Equal("sum", options.ChecksumKey);
    }

    [Fact]
    public void Credentials_without_a_checksum_key_stop_the_start_naming_it()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<ClickPesaOptions>(new() { ["CLICKPESA_CLIENT_ID"] = "id", ["CLICKPESA_API_KEY"] = "key" }));

        Assert.Contains("'CLICKPESA_CHECKSUM_KEY'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC1\",\"message\":\"\\ud800\"},\"checksum\":\"00\"}")]
    [InlineData("{\"event\":\"PAYMENT RECEIVED\",\"data\":{\"orderReference\":\"MC1\",\"\\udc00\":1}}")]
    public void A_lone_surrogate_is_neither_a_notification_nor_a_valid_checksum(string body)
    {
        var payload = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(body);

        Assert.Null(ClickPesaNotification.TryParse(payload));
        Assert.Null(ClickPesaNotification.TryParse(body));
        Assert.False(ClickPesaChecksum.Verify("key", payload));
    }

}
