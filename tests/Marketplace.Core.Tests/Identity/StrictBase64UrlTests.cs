using Marketplace.Core.Identity;

namespace Marketplace.Core.Tests.Identity;

public class StrictBase64UrlTests
{
    [Fact]
    public void Encoding_round_trips_without_padding()
    {
        byte[] bytes = [0xfb, 0xff, 0x01];

        var text = StrictBase64Url.Encode(bytes.AsSpan(0, 2));

        Assert.Equal("-_8", text);
        Assert.True(StrictBase64Url.TryDecode(text, out var decoded));
        Assert.Equal(bytes[..2], decoded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("-_8=")]
    [InlineData("+/8")]
    [InlineData("AA E")]
    [InlineData("A")]
    [InlineData("AAF")]
    [InlineData("AA*")]
    public void Anything_but_canonical_unpadded_base64url_is_rejected(string? text)
    {
        Assert.False(StrictBase64Url.TryDecode(text, out var decoded));
        Assert.Empty(decoded);
    }
}
