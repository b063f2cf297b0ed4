using System.Net;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>Issue 14, defect 5: the bank details and reference are mailed when a transfer starts, and the admin's decision when it is made; once each, through the outbox.</summary>
public sealed class WhenABankTransferIsMailed(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task Starting_one_mails_the_account_details_and_the_reference_once()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        var id = await shopper.StartBankTransferAsync("1200.00");

        string reference;
        using (var scope = app.Services.CreateScope())
        {
            reference = (await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Payments.AsNoTracking().SingleAsync(p => p.Id == id)).ProviderReference!;
        }

        var mail = Assert.Single(await BankMailsAsync(shopper.User.Email, 1));
        Assert.Contains(reference, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("1,200.00 USD", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Account number: {BankTransferApp.AccountNumber}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"SWIFT/BIC: {BankTransferApp.SwiftCode}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Reference: {reference}", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Confirming_mails_the_amount_credited_once_however_often_it_is_confirmed()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1200.00");
        using var admin = await app.AdminAsync();

        using var first = await admin.ConfirmAsync(id, "1150.50", "Bank fee deducted");
        using var again = await admin.ConfirmAsync(id, "1150.50", "Bank fee deducted");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var outcome = Assert.Single(await BankMailsAsync(shopper.User.Email, 2), m => (m.Subject ?? string.Empty).Contains("arrived", StringComparison.Ordinal));
        Assert.Contains("we received 1,150.50 USD and added 1,150.50 MC to your wallet", outcome.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, (await BankMailsAsync(shopper.User.Email, 2)).Count);
    }

    [Fact]
    public async Task Rejecting_mails_the_reason_once_however_often_it_is_rejected()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        var id = await shopper.StartBankTransferAsync("1200.00");
        using var admin = await app.AdminAsync();

        using var first = await admin.RejectAsync(id, "No transfer with this reference arrived");
        using var again = await admin.RejectAsync(id, "No transfer with this reference arrived");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var outcome = Assert.Single(await BankMailsAsync(shopper.User.Email, 2), m => (m.Subject ?? string.Empty).Contains("rejected", StringComparison.Ordinal));
        Assert.Contains("no credits were added", outcome.TextBody, StringComparison.Ordinal);
        Assert.Contains("Reason: No transfer with this reference arrived", outcome.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, (await BankMailsAsync(shopper.User.Email, 2)).Count);
    }

    // The outbox job sends them just after the commit; every message it would send has been by the time both rows are sent.
    private async Task<List<MimeMessage>> BankMailsAsync(string email, int count)
    {
        await Eventually.PollAsync(() => Task.FromResult(BankMails(email)), m => m.Count >= count, $"{count} bank transfer mails to {email}");
        await Eventually.PollAsync(() => UnsentAsync(email), n => n == 0, $"the outbox of {email} to be empty");
        return BankMails(email);
    }

    private List<MimeMessage> BankMails(string email) =>
        [.. Mailbox.Read(app.MailDirectory).To(email).Where(m => (m.Subject ?? string.Empty).StartsWith("Bank transfer", StringComparison.Ordinal))];

    private async Task<int> UnsentAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().MailOutbox.CountAsync(m => m.ToAddress == email && m.Status != MailOutboxStatus.Sent);
    }
}
