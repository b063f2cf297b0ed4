using System.Security.Cryptography;
using Marketplace.Core.Persistence;

namespace Marketplace.Core.Payments.Demo;

/// <summary>The per-install secret that signs demo events: 32 random bytes in <c>&lt;data dir&gt;/keys/demo-webhook.key</c>, made on first use.</summary>
public sealed class DemoWebhookKey(DatabaseSettings settings)
{
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreate(Path.Combine(settings.DataDirectory, "keys", "demo-webhook.key")));

    public byte[] Value => _key.Value;

    // Instances on one data directory agree on one key, however many start together.
    private static byte[] LoadOrCreate(string path) =>
        Convert.FromBase64String(Identity.KeyFile.ReadOrCreate(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Trim());
}
