using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Marketplace.Core.Identity;

/// <summary>Raw Ed25519 keys: the 32-byte private seed and the 32-byte public key.</summary>
public sealed record Ed25519KeyPair(byte[] PrivateKeySeed, byte[] PublicKey);

/// <summary>
/// The only place that knows which Ed25519 library we use (Portable.BouncyCastle, because
/// NSec is not served here), so swapping it touches this file alone.
/// </summary>
public static class Ed25519
{
    public const int PublicKeySize = 32;
    public const int PrivateKeySeedSize = 32;
    public const int SignatureSize = 64;

    private static readonly SecureRandom Random = new();

    /// <summary>
    /// True only for a well-formed signature by <paramref name="publicKey"/> over
    /// <paramref name="message"/>; every malformed input is simply false, because callers
    /// feed it untrusted bytes straight from requests.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
            return false;

        try
        {
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(publicKey.ToArray(), 0));
            var messageBytes = message.ToArray();
            verifier.BlockUpdate(messageBytes, 0, messageBytes.Length);
            return verifier.VerifySignature(signature.ToArray());
        }
#pragma warning disable CA1031 // The contract is false for any bad input; a throw here would become a 500 on attacker-chosen bytes.
        catch (Exception)
        {
            return false;
        }
#pragma warning restore CA1031
    }

    public static Ed25519KeyPair Generate()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(Random));
        var pair = generator.GenerateKeyPair();
        var privateKey = (Ed25519PrivateKeyParameters)pair.Private;
        var publicKey = (Ed25519PublicKeyParameters)pair.Public;
        return new Ed25519KeyPair(privateKey.GetEncoded(), publicKey.GetEncoded());
    }

    public static byte[] Sign(ReadOnlySpan<byte> privateKeySeed, ReadOnlySpan<byte> message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, PrivateKey(privateKeySeed));
        var messageBytes = message.ToArray();
        signer.BlockUpdate(messageBytes, 0, messageBytes.Length);
        return signer.GenerateSignature();
    }

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> privateKeySeed) =>
        PrivateKey(privateKeySeed).GeneratePublicKey().GetEncoded();

    private static Ed25519PrivateKeyParameters PrivateKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != PrivateKeySeedSize)
            throw new ArgumentException($"An Ed25519 private key seed is {PrivateKeySeedSize} bytes.", nameof(seed));
        return new Ed25519PrivateKeyParameters(seed.ToArray(), 0);
    }
}
