using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>A payment keeps what its package was when it was created, whatever the configuration says by the time it is paid.</summary>
public sealed class WhenPackageConfigurationChanges : IDisposable
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-package-tests-");

    [Fact]
    public async Task A_payment_created_before_a_restart_with_other_packages_is_credited_as_it_was_bought()
    {
        Guid paymentId;
        Guid userId;
        using (var before = new AppOnDataDirectory(_dataDirectory))
        {
            using var client = await ApiClient.RegisteredAsync(before);
            paymentId = await client.InitiatePackageAsync("popular");
            userId = await UserIdAsync(before, paymentId);
        }

        using var after = new AppOnDataDirectory(_dataDirectory,
            ("Packages:1:Name", "Popular deal"),
            ("Packages:1:Credits", "600.00"),
            ("Packages:1:BonusPercent", "50"),
            ("Packages:1:Prices:USD", "10.00"));
        using var scope = after.Services.CreateScope();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        Assert.Equal(("Popular deal", "600.00"), payments.Packages.Where(p => p.Id == "popular").Select(p => (p.Name, p.Credits.ToDecimalString())).Single());

        var completed = await payments.CompleteAsync(paymentId, PaymentOutcome.Succeeded, null, CompletionDetails.MoneyCollected);

        var payment = Assert.IsType<CompletionResult.Completed>(completed).Payment;
        Assert.Equal(("44.99 USD", "500.00 MC", "50.00 MC", "Popular"), (payment.Amount.ToDisplayString(), payment.Credits.ToDisplayString(), payment.Bonus.ToDisplayString(), payment.PackageName));
        var balance = await scope.ServiceProvider.GetRequiredService<WalletQueries>().BalanceAsync(userId);
        Assert.Equal("1,550.00 MC", balance.Available.ToDisplayString());
        var bonusKey = PaymentService.BonusKey(paymentId);
        var bonus = await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().LedgerTransactions.AsNoTracking().Include(t => t.Entries).SingleAsync(t => t.IdempotencyKey == bonusKey);
        Assert.Equal("Bonus 10 % on Popular", bonus.Description);
        Assert.Contains(bonus.Entries, e => e.Amount == 5000);
    }

    private static async Task<Guid> UserIdAsync(MarketplaceApp app, Guid paymentId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Payments.Where(p => p.Id == paymentId).Select(p => p.UserId).SingleAsync();
    }

    public void Dispose()
    {
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }

    private sealed class AppOnDataDirectory(DirectoryInfo dataDirectory, params (string Key, string Value)[] settings) : MarketplaceApp(dataDirectory, ownsDataDirectory: false)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
