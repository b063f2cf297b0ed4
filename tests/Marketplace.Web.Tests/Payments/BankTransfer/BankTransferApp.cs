using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>The app with the platform's bank account configured, so "Bank transfer" is offered; one admin per app.</summary>
public sealed class BankTransferApp : MarketplaceApp
{
    public const string BankName = "Example Bank Tanzania";
    public const string AccountName = "Marketplace Ltd";
    public const string AccountNumber = "0150-2233-4455";
    public const string SwiftCode = "EXMPTZTZ";

    public async Task<int> TopUpCountAsync(Guid paymentId)
    {
        using var scope = Services.CreateScope();
        var key = PaymentService.TopUpKey(paymentId);
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().LedgerTransactions.CountAsync(t => t.IdempotencyKey == key);
    }

    public async Task<List<Core.Admin.AuditEntry>> AuditEntriesAsync(Guid paymentId)
    {
        using var scope = Services.CreateScope();
        var subject = $"payment:{paymentId}";
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().AuditEntries.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Id).ToListAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("BANK_NAME", BankName);
        builder.UseSetting("BANK_ACCOUNT_NAME", AccountName);
        builder.UseSetting("BANK_ACCOUNT_NUMBER", AccountNumber);
        builder.UseSetting("BANK_SWIFT_CODE", SwiftCode);
    }
}

public static class BankTransferClient
{
    /// <summary>Starts a bank transfer over the API and returns its payment id.</summary>
    public static async Task<Guid> StartBankTransferAsync(this ApiClient client, string amount = "1000.00", string currency = "USD")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostJsonAsync("/api/payments/initiate", new { Amount = amount, Currency = currency, Gateway = "bank" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("payment_id").GetGuid();
    }

    public static Task<HttpResponseMessage> ConfirmAsync(this ApiClient admin, Guid paymentId, string receivedAmount, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return admin.PostJsonAsync($"/api/admin/payments/{paymentId}/confirm", new { ReceivedAmount = receivedAmount, Note = note });
    }

    public static Task<HttpResponseMessage> RejectAsync(this ApiClient admin, Guid paymentId, string? reason)
    {
        ArgumentNullException.ThrowIfNull(admin);
        return admin.PostJsonAsync($"/api/admin/payments/{paymentId}/reject", new { Reason = reason });
    }
}
