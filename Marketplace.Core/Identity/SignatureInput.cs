namespace Marketplace.Core.Identity;

/// <summary>A key or signature refused before any check of what it signs: the error code, the request field, and why.</summary>
public sealed record EncodingProblem(string Code, string Field, string Message);

/// <summary>
/// Ed25519 public keys and signatures as requests carry them (product.md: the raw bytes in base64url without padding),
/// decoded and size-checked here for sign-up, sign-in, recovery and signed intents alike, so every one of them refuses
/// the same inputs with the same code and words.
/// </summary>
public static class SignatureInput
{
    public static EncodingProblem? DecodePublicKey(string? text, out byte[] key, string field = "public_key") =>
        Decode(text, Ed25519.PublicKeySize, out key) ? null : new("invalid_public_key", field, $"The {Words(field)} must be {Ed25519.PublicKeySize} bytes in base64url.");

    public static EncodingProblem? DecodeSignature(string? text, out byte[] signature, string field = "signature") =>
        Decode(text, Ed25519.SignatureSize, out signature) ? null : new("invalid_signature_encoding", field, $"The {Words(field)} must be {Ed25519.SignatureSize} bytes in base64url.");

    private static bool Decode(string? text, int size, out byte[] bytes)
    {
        if (StrictBase64Url.TryDecode(text, out bytes) && bytes.Length == size)
        {
            return true;
        }

        bytes = [];
        return false;
    }

    // "recovery_signature" reads "recovery signature" in a sentence.
    private static string Words(string field) => field.Replace('_', ' ');
}
