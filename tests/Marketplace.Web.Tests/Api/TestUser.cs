using System.Text;
using Marketplace.Core.Identity;

namespace Marketplace.Web.Tests.Api;

/// <summary>A shopper whose private key lives in the test, as it would in the browser's vault.</summary>
public sealed record TestUser(string Email, string DisplayName, Ed25519KeyPair Keys)
{
    public static TestUser New(string? email = null) =>
        new(email ?? $"shopper-{Guid.NewGuid():N}@example.test", "Test Shopper", Ed25519.Generate());

    public string PublicKey => StrictBase64Url.Encode(Keys.PublicKey);

    public string Sign(string challenge) => SignWith(Keys.PrivateKeySeed, challenge);

    public static string SignWith(byte[] seed, string text) => StrictBase64Url.Encode(Ed25519.Sign(seed, Encoding.UTF8.GetBytes(text)));
}
