using System.Text;
using Marketplace.Core.Identity;

namespace Marketplace.Core.Tests.Identity;

/// <summary>
/// A key and signature made by Chromium's WebCrypto (as vault.js does: raw public key,
/// signature over the UTF-8 bytes of the text, both unpadded base64url), so the browser and
/// server agree on encodings, not just on Ed25519.
/// </summary>
public class WhenTheBrowserSignsAChallenge
{
    private const string PublicKey = "YWJc4BoXUT2R7CZBw2hANQPcEHjCa2-JkoLAlZLhymY";
    private const string Challenge = "login:5f0c-challenge-été-✓";
    private const string Signature = "Cv2ZTdm0Ke4r3ckDmLU052LFGlhU6j43EBOmsr5kpGs4rg8gloCjSsVB-vQ-j2zTED7iIQZRGXcnaV3gE7oCBQ";

    [Fact]
    public void The_server_verifies_it()
    {
        Assert.True(StrictBase64Url.TryDecode(PublicKey, out var publicKey));
        Assert.True(StrictBase64Url.TryDecode(Signature, out var signature));

        Assert.True(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(Challenge), signature));
    }

    [Fact]
    public void A_different_challenge_does_not_verify()
    {
        Assert.True(StrictBase64Url.TryDecode(PublicKey, out var publicKey));
        Assert.True(StrictBase64Url.TryDecode(Signature, out var signature));

        Assert.False(Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(Challenge.Normalize(NormalizationForm.FormD)), signature));
    }
}
