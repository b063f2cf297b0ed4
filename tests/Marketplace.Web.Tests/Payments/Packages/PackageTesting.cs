using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>Buying the demo configuration's packages (appsettings.Development.json) over the API and the wallet's form.</summary>
public static class PackageTesting
{
    public const string PayingCard = "4242 4242 4242 4242";
    public const string DecliningCard = "4000 0000 0000 0002";

    /// <summary>POST /api/payments/initiate for a package; the payment id.</summary>
    public static async Task<Guid> InitiatePackageAsync(this ApiClient client, string packageId, string currency = "USD", string gateway = "demo")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostJsonAsync("/api/payments/initiate", new { PackageId = packageId, Currency = currency, Gateway = gateway });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Initiating {packageId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payment_id").GetGuid();
    }

    /// <summary>Chooses the package on the wallet's Buy credits form (the amount field left as a browser posts it), as without script.</summary>
    public static async Task<Guid> StartDemoPackageAsync(this WebShopper shopper, string packageId)
    {
        ArgumentNullException.ThrowIfNull(shopper);
        using var response = await shopper.PostFormAsync("/Wallet", "/Wallet?handler=BuyCredits", [new("package_id", packageId), new("amount", string.Empty), new("currency", "USD"), new("gateway", "demo")]);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Buy credits answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"{MarketplaceApp.Origin}/payments/demo/", location, StringComparison.Ordinal);
        return Guid.Parse(location[^36..]);
    }

    /// <summary>Pays on the demo checkout page with <paramref name="card"/>, then waits for the inbox job to decide the payment.</summary>
    public static async Task<string> PayOnDemoCheckoutAsync(this WebShopper shopper, Guid paymentId, string card)
    {
        ArgumentNullException.ThrowIfNull(shopper);
        var checkout = $"/payments/demo/{paymentId}";
        using (var paid = await shopper.PostFormAsync(checkout, checkout, [new("card_number", card)]))
        {
            Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        }

        return await shopper.FinalPaymentStatusAsync(paymentId);
    }

    /// <summary>The wallet history's entries as (kind, description, amount), newest first.</summary>
    public static async Task<List<(string Kind, string Description, string Amount)>> HistoryAsync(this HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var history = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/wallet/transactions", UriKind.Relative));
        return history.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("kind").GetString()!, i.GetProperty("description").GetString()!, i.GetProperty("amount").GetString()!))
            .ToList();
    }

    /// <summary>How many ledger transactions carry the payment's top-up and bonus keys.</summary>
    public static async Task<(int TopUps, int Bonuses)> GrantsAsync(this MarketplaceApp app, Guid paymentId)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var topUp = PaymentService.TopUpKey(paymentId);
        var bonus = PaymentService.BonusKey(paymentId);
        return (
            await db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == topUp && t.Kind == TransactionKind.TopUp),
            await db.LedgerTransactions.CountAsync(t => t.IdempotencyKey == bonus && t.Kind == TransactionKind.BonusGrant));
    }
}
