using Marketplace.Core.Identity;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Marketplace.Web.Auth;

namespace Marketplace.Web.Hosting;

public static class DatabaseStartupExtensions
{
    /// <summary>Migrations and seed data before the first request, so a fresh clone starts with one command.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        app.WarnIfKeysAreUnencrypted();
        // The receipt key is loaded or made (or a key that no longer decrypts reported) at start, not at the first purchase.
        _ = app.Services.GetRequiredService<ReceiptSigner>();
        var mail = app.Services.GetRequiredService<MailOptions>();
        if (!mail.UsesSmtp && !app.Environment.IsDevelopment())
        {
            app.Logger.LogWarning("SMTP_HOST is not set: verification links and notices are written to {Folder} instead of being mailed.", PickupDirectoryMailSender.FolderIn(app.Services.GetRequiredService<DatabaseSettings>()));
        }
    }
}
