using Marketplace.Core.Identity;
using Marketplace.Core.Persistence;
using Marketplace.Core.Settings;
using Marketplace.Web.Auth;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tests.Instances;

/// <summary>
/// Where the receipt key comes from: a setting or a secret file (nothing stored), or else the database, where the key
/// file an earlier version kept in the data directory is imported so that its receipts still verify.
/// </summary>
public sealed class WhenTheReceiptKeyIsConfigured : IDisposable
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-receipt-keys-");
    private readonly Ed25519KeyPair _key = Ed25519.Generate();

    [Fact]
    public async Task RECEIPT_SIGNING_KEY_is_the_key_every_instance_signs_with()
    {
        using var app = new SharedDataApp(_dataDirectory, ("RECEIPT_SIGNING_KEY", StrictBase64Url.Encode(_key.PrivateKeySeed)));

        Assert.Equal(StrictBase64Url.Encode(_key.PublicKey), await PublishedKeyAsync(app));
        Assert.Equal(0, await StoredKeysAsync(app));
    }

    [Fact]
    public async Task RECEIPT_SIGNING_KEY_FILE_names_a_file_holding_it()
    {
        var file = Path.Combine(_dataDirectory.FullName, "receipt.secret");
        await File.WriteAllTextAsync(file, StrictBase64Url.Encode(_key.PrivateKeySeed) + "\n");
        using var app = new SharedDataApp(_dataDirectory, ("RECEIPT_SIGNING_KEY_FILE", file));

        Assert.Equal(StrictBase64Url.Encode(_key.PublicKey), await PublishedKeyAsync(app));
        Assert.Equal(0, await StoredKeysAsync(app));
    }

    [Fact]
    public async Task The_key_file_of_an_earlier_version_is_moved_into_the_database()
    {
        var legacy = ReceiptSigner.DefaultKeyFile(_dataDirectory.FullName);
        Directory.CreateDirectory(Path.GetDirectoryName(legacy)!);
        await File.WriteAllTextAsync(legacy, StrictBase64Url.Encode(_key.PrivateKeySeed) + "\n");
        using var app = new SharedDataApp(_dataDirectory);

        Assert.Equal(StrictBase64Url.Encode(_key.PublicKey), await PublishedKeyAsync(app));
        Assert.Equal(1, await StoredKeysAsync(app));
    }

    [Fact]
    public void Both_settings_at_once_stop_the_start()
    {
        var file = Path.Combine(_dataDirectory.FullName, "receipt.secret");
        File.WriteAllText(file, StrictBase64Url.Encode(_key.PrivateKeySeed));
        using var app = new SharedDataApp(_dataDirectory, ("RECEIPT_SIGNING_KEY", StrictBase64Url.Encode(_key.PrivateKeySeed)), ("RECEIPT_SIGNING_KEY_FILE", file));

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Configuration 'RECEIPT_SIGNING_KEY_FILE' is not accepted", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Development", false)]
    public void On_PostgreSQL_the_key_ring_must_be_encrypted_outside_Development(string environment, bool refused)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Marketplace"] = "Host=127.0.0.1;Username=marketplace",
        }).Build();
        var settings = new StartupSettings(configuration, new Environment(environment, _dataDirectory.FullName));

        var failure = Record.Exception(() => settings.Read<DataProtectionSettings>());

        if (refused)
        {
            Assert.Contains("Configuration 'DataProtection__CertificatePath' is missing", Assert.IsType<OptionsValidationException>(failure).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(failure);
        }
    }

    private static async Task<string> PublishedKeyAsync(SharedDataApp app)
    {
        using var anonymous = ApiClient.For(app);
        return (await anonymous.GetJsonAsync("/api/receipts/public-key")).GetProperty("public_key").GetString()!;
    }

    private static async Task<int> StoredKeysAsync(SharedDataApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().ServerKeys.CountAsync(k => k.Name == ReceiptKeys.Name);
    }

    public void Dispose()
    {
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }

    private sealed class Environment(string name, string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Marketplace.Web";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
