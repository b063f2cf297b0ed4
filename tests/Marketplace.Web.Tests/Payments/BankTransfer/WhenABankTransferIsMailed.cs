using System.Net;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>Issue 14, defect 5: the bank details and reference are mailed when a transfer starts, and the admin's decision when it is made; once each.</summary>
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

        var mails = BankMails(shopper.User.Email);
        var mail = Assert.Single(mails);
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
        var outcome = Assert.Single(BankMails(shopper.User.Email), m => (m.Subject ?? string.Empty).Contains("arrived", StringComparison.Ordinal));
        Assert.Contains("we received 1,150.50 USD and added 1,150.50 MC to your wallet", outcome.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, BankMails(shopper.User.Email).Count);
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
        var outcome = Assert.Single(BankMails(shopper.User.Email), m => (m.Subject ?? string.Empty).Contains("rejected", StringComparison.Ordinal));
        Assert.Contains("no credits were added", outcome.TextBody, StringComparison.Ordinal);
        Assert.Contains("Reason: No transfer with this reference arrived", outcome.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, BankMails(shopper.User.Email).Count);
    }

    private List<MimeMessage> BankMails(string email) =>
        [.. Mailbox.Read(app.MailDirectory).To(email).Where(m => (m.Subject ?? string.Empty).StartsWith("Bank transfer", StringComparison.Ordinal))];
}

/// <summary>A mail server that refuses every bank transfer message: the money operations go through all the same.</summary>
public sealed class WhenBankTransferMailFails(WhenBankTransferMailFails.RefusingMailApp app) : IClassFixture<WhenBankTransferMailFails.RefusingMailApp>
{
    [Fact]
    public async Task Starting_and_confirming_still_work_and_nothing_is_mailed()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        var id = await shopper.StartBankTransferAsync("1000.00");
        using var admin = await app.AdminAsync();
        using var confirmed = await admin.ConfirmAsync(id, "1000.00");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("2000.00", await shopper.AvailableAsync());
        Assert.True(app.Refused >= 2, $"{app.Refused} bank mails were attempted.");
        Assert.DoesNotContain(Mailbox.Read(app.MailDirectory).To(shopper.User.Email), m => (m.Subject ?? string.Empty).StartsWith("Bank transfer", StringComparison.Ordinal));
    }

    public sealed class RefusingMailApp : MarketplaceApp
    {
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("BANK_NAME", BankTransferApp.BankName);
            builder.UseSetting("BANK_ACCOUNT_NAME", BankTransferApp.AccountName);
            builder.UseSetting("BANK_ACCOUNT_NUMBER", BankTransferApp.AccountNumber);
            builder.UseSetting("BANK_SWIFT_CODE", BankTransferApp.SwiftCode);
            builder.ConfigureTestServices(services =>
            {
                var real = services.Single(d => d.ServiceType == typeof(IMailSender));
                services.Remove(real);
                services.AddSingleton<IMailSender>(sp => new Refusing((IMailSender)real.ImplementationFactory!(sp), () => Interlocked.Increment(ref _refused)));
            });
        }

        // Account mail (the admin's verification link) still goes through; only bank transfer messages are refused.
        private sealed class Refusing(IMailSender inner, Action counted) : IMailSender
        {
            public Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
            {
                if (!(message.Subject ?? string.Empty).StartsWith("Bank transfer", StringComparison.Ordinal))
                {
                    return inner.SendAsync(message, cancellationToken);
                }

                counted();
                throw new IOException("The mail server refused the message.");
            }
        }
    }
}
