using System.Text;
using Marketplace.Core.Identity;

namespace Marketplace.Core.Tests.Identity;

public class Ed25519SigningTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("""{"action":"spend","amount":"12.50"}""");

    [Fact]
    public void A_signature_from_a_generated_key_verifies()
    {
        var keys = Ed25519.Generate();

        var signature = Ed25519.Sign(keys.PrivateKeySeed, Message);

        Assert.Equal(Ed25519.PrivateKeySeedSize, keys.PrivateKeySeed.Length);
        Assert.Equal(Ed25519.PublicKeySize, keys.PublicKey.Length);
        Assert.Equal(Ed25519.SignatureSize, signature.Length);
        Assert.True(Ed25519.Verify(keys.PublicKey, Message, signature));
    }

    [Fact]
    public void The_public_key_is_derived_from_the_seed()
    {
        var keys = Ed25519.Generate();

        Assert.Equal(keys.PublicKey, Ed25519.PublicKeyFromSeed(keys.PrivateKeySeed));
    }

    [Theory]
    [InlineData("signature", 0)]
    [InlineData("signature", 63 * 8 + 7)]
    [InlineData("message", 5)]
    [InlineData("publicKey", 17)]
    public void Flipping_one_bit_anywhere_breaks_verification(string part, int bit)
    {
        var keys = Ed25519.Generate();
        var message = Message.ToArray();
        var signature = Ed25519.Sign(keys.PrivateKeySeed, message);
        var publicKey = keys.PublicKey.ToArray();

        var target = part switch
        {
            "signature" => signature,
            "message" => message,
            _ => publicKey,
        };
        target[bit / 8] ^= (byte)(1 << (bit % 8));

        Assert.False(Ed25519.Verify(publicKey, message, signature));
    }

    [Fact]
    public void Wrong_lengths_are_rejected_without_throwing()
    {
        var keys = Ed25519.Generate();
        var signature = Ed25519.Sign(keys.PrivateKeySeed, Message);

        Assert.False(Ed25519.Verify(keys.PublicKey.AsSpan(0, 31), Message, signature));
        Assert.False(Ed25519.Verify(keys.PublicKey, Message, signature.AsSpan(0, 63)));
        Assert.False(Ed25519.Verify([], Message, []));
    }

    [Fact]
    public void A_public_key_that_is_not_a_curve_point_is_rejected_without_throwing()
    {
        var keys = Ed25519.Generate();
        var signature = Ed25519.Sign(keys.PrivateKeySeed, Message);
        // y = 2 has no matching x on edwards25519, so this encoding decodes to no point.
        var notAPoint = new byte[32];
        notAPoint[0] = 2;

        Assert.False(Ed25519.Verify(notAPoint, Message, signature));
    }
}
