using System.Net;
using Marketplace.Core.Mail;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>
/// SMTP refuses the bank transfer mails: the transfer starts and the admin's decision stands, both mails wait in the
/// outbox with the error, and once the server is back and their backoff has passed the job sends each exactly once.
/// </summary>
public sealed class WhenTheMailServerIsDownAtADecision(OutboxApp app) : IClassFixture<OutboxApp>
{
    [Fact]
    public async Task The_decision_stands_the_mail_waits_and_goes_out_once_when_the_server_is_back()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var admin = await app.AdminAsync();
        var before = await shopper.AvailableAsync();
        app.MailServer.Down = true;

        var id = await shopper.StartBankTransferAsync("1000.00");
        await app.OutboxEventuallyAsync(id, rows => rows.Count == 1 && rows[0].Attempts == 1 && rows[0].Status == MailOutboxStatus.Pending, "the instructions to fail once");
        using var confirmed = await admin.ConfirmAsync(id, "1000.00");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(("1000.00", "2000.00"), (before, await shopper.AvailableAsync()));
        var waiting = await app.OutboxEventuallyAsync(id, rows => rows.Count == 2 && rows.TrueForAll(r => r.Attempts == 1 && r.Status == MailOutboxStatus.Pending), "both mails to fail once");
        Assert.Equal([BankTransferMail.ConfirmedKind, BankTransferMail.InstructionsKind], waiting.Select(r => r.Kind).Order(StringComparer.Ordinal));
        Assert.All(waiting, r => Assert.Contains("The mail server refused the message.", r.LastError, StringComparison.Ordinal));
        Assert.Empty(app.BankMails(shopper.User.Email));

        app.MailServer.Down = false;
        var sender = app.Services.GetRequiredService<MailOutboxSender>();
        Assert.Equal(0, await sender.SendDueAsync());
        app.Clock.Advance(MailOutbox.BackoffAfter(1));
        app.Services.GetRequiredService<IMailOutboxTrigger>().RequestRun();

        var sent = await app.OutboxEventuallyAsync(id, rows => rows.TrueForAll(r => r.Status == MailOutboxStatus.Sent), "both mails to be sent");
        Assert.Equal(0, await sender.SendDueAsync());
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await sender.SendDueAsync());
        var mails = app.BankMails(shopper.User.Email);
        Assert.Equal(2, mails.Count);
        Assert.All(sent, r => Assert.Equal(2, r.Attempts));
        Assert.Equal(sent.Select(r => MailOutbox.MessageIdFor(r.Id, new MimeKit.MailboxAddress("Marketplace", "no-reply@localhost"))).Order(StringComparer.Ordinal), mails.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Contains(mails, m => (m.Subject ?? string.Empty).Contains("arrived", StringComparison.Ordinal) && (m.TextBody ?? string.Empty).Contains("we received 1,000.00 USD and added 1,000.00 MC", StringComparison.Ordinal));
        Assert.Contains(mails, m => (m.TextBody ?? string.Empty).Contains($"Account number: {BankTransferApp.AccountNumber}", StringComparison.Ordinal));
        Assert.True(app.MailServer.Refused >= 2, $"{app.MailServer.Refused} refused");
    }
}
