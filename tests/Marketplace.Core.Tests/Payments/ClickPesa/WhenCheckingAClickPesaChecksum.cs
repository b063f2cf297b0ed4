using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Core.Payments.ClickPesa;

namespace Marketplace.Core.Tests.Payments.ClickPesa;

public sealed class WhenCheckingAClickPesaChecksum
{
    private const string Key = "test-checksum-key";

    // Keys out of order at every depth, numeric-looking keys, escapes, a control character, non-ASCII, a number
    // with a trailing zero, an array of objects, null and true.
    private const string Payload = """
        {"event":"PAYMENT RECEIVED","data":{"status":"SUCCESS","orderReference":"MC0123456789ABCDEF01","collectedAmount":"25000","collectedCurrency":"TZS","message":"Paid \"ok\" \\ done\n\u0001\t","customer":{"customerName":"Zawadi Mwanaisha Ñandú 🙂","customerPhoneNumber":"255712345678","2":"two","10":"ten"},"channel":"TIGO-PESA","id":"LWK7Y1","ratio":1.50,"count":3,"tags":[{"b":1,"a":2}],"nothing":null,"ok":true},"checksumMethod":"canonical","checksum":"x"}
        """;

    // Both computed by Node with ClickPesa's documented method (recursive key sort, JSON.stringify, HMAC-SHA256 hex).
    private const string NodeCanonical = """
        {"data":{"channel":"TIGO-PESA","collectedAmount":"25000","collectedCurrency":"TZS","count":3,"customer":{"2":"two","10":"ten","customerName":"Zawadi Mwanaisha Ñandú 🙂","customerPhoneNumber":"255712345678"},"id":"LWK7Y1","message":"Paid \"ok\" \\ done\n\u0001\t","nothing":null,"ok":true,"orderReference":"MC0123456789ABCDEF01","ratio":1.5,"status":"SUCCESS","tags":[{"a":2,"b":1}]},"event":"PAYMENT RECEIVED"}
        """;

    private const string NodeChecksum = "861bd698960b36b6d0c177378fdc508862078fd9d02fe9262cc39144f599d408";

    [Fact]
    public void The_canonical_text_is_what_javascript_produces()
    {
        Assert.Equal(NodeCanonical.Trim(), ClickPesaChecksum.Canonicalize(Parse(Payload)));
    }

    [Fact]
    public void The_checksum_agrees_with_clickpesas_reference_code()
    {
        Assert.Equal(NodeChecksum, ClickPesaChecksum.Compute(Key, Parse(Payload)));
    }

    [Fact]
    public void A_top_level_checksum_over_the_payload_is_accepted_whatever_the_key_order()
    {
        var node = JsonNode.Parse(Payload)!.AsObject();
        node["checksum"] = NodeChecksum;
        var reordered = new JsonObject(node.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        Assert.True(ClickPesaChecksum.Verify(Key, Parse(node.ToJsonString())));
        Assert.True(ClickPesaChecksum.Verify(Key, Parse(reordered.ToJsonString())));
    }

    [Fact]
    public void A_checksum_inside_data_may_cover_the_payload_or_the_data_alone()
    {
        var node = JsonNode.Parse(Payload)!.AsObject();
        node.Remove("checksum");
        node.Remove("checksumMethod");
        var data = node["data"]!.AsObject();
        data["checksum"] = ClickPesaChecksum.Compute(Key, Parse(data.ToJsonString()));
        Assert.True(ClickPesaChecksum.Verify(Key, Parse(node.ToJsonString())));

        data["checksum"] = NodeChecksum;
        Assert.True(ClickPesaChecksum.Verify(Key, Parse(node.ToJsonString())));
    }

    [Theory]
    [InlineData("\"collectedAmount\":\"25000\"", "\"collectedAmount\":\"25001\"")]
    [InlineData("\"event\":\"PAYMENT RECEIVED\"", "\"event\":\"PAYMENT FAILED\"")]
    [InlineData("\"count\":3", "\"count\":4")]
    public void Any_change_to_the_payload_is_refused(string original, string altered)
    {
        var signed = Payload.Replace("\"checksum\":\"x\"", $"\"checksum\":\"{NodeChecksum}\"", StringComparison.Ordinal);
        Assert.True(ClickPesaChecksum.Verify(Key, Parse(signed)));

        Assert.False(ClickPesaChecksum.Verify(Key, Parse(signed.Replace(original, altered, StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("\"checksum\":\"x\"", "\"checksumX\":\"none\"")]
    [InlineData("\"checksum\":\"x\"", "\"checksum\":\"861BD698\"")]
    [InlineData("\"checksum\":\"x\"", "\"checksum\":123")]
    public void A_missing_short_or_malformed_checksum_is_refused(string original, string replacement)
    {
        Assert.False(ClickPesaChecksum.Verify(Key, Parse(Payload.Replace(original, replacement, StringComparison.Ordinal))));
    }

    [Fact]
    public void The_wrong_key_is_refused()
    {
        var signed = Payload.Replace("\"checksum\":\"x\"", $"\"checksum\":\"{NodeChecksum}\"", StringComparison.Ordinal);

        Assert.False(ClickPesaChecksum.Verify("another-key", Parse(signed)));
    }

    private static JsonElement Parse(string json) => JsonSerializer.Deserialize<JsonElement>(json);
}
