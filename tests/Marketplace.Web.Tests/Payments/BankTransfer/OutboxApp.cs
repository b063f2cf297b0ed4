using Marketplace.Core.Mail;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Hosting;
using Marketplace.Web.Tests.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>
/// The bank-transfer app with a mail server the test switches off and on (<see cref="MailServer"/>; account mail always
/// goes through), a clock it moves (<see cref="Clock"/>), commands it can fail (<see cref="Conflicts"/>) and no outbox
/// sweep: mail leaves only through the run enqueued after a commit, or one the test asks for.
/// </summary>
public sealed class OutboxApp : MarketplaceApp
{
    public TestClock Clock { get; } = new();

    public SwitchableMailServer MailServer { get; } = new();

    public ConflictInjector Conflicts { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("BANK_NAME", BankTransferApp.BankName);
        builder.UseSetting("BANK_ACCOUNT_NAME", BankTransferApp.AccountName);
        builder.UseSetting("BANK_ACCOUNT_NUMBER", BankTransferApp.AccountNumber);
        builder.UseSetting("BANK_SWIFT_CODE", BankTransferApp.SwiftCode);
        builder.UseSetting(Web.Jobs.MailOutboxJob.CronSetting, JobTesting.Never);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.ConfigureDbContext<MarketplaceDb>(o => o.AddInterceptors(Conflicts));
            var real = services.Single(d => d.ServiceType == typeof(IMailSender));
            services.Remove(real);
            services.AddSingleton<IMailSender>(sp => MailServer.In((IMailSender)real.ImplementationFactory!(sp)));
        });
    }

    /// <summary>The outbox rows about one payment, oldest first.</summary>
    public async Task<List<MailOutboxItem>> OutboxAsync(Guid paymentId)
    {
        using var scope = Services.CreateScope();
        var about = $"payment:{paymentId}";
        return (await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().MailOutbox.AsNoTracking().Where(m => m.About == about).ToListAsync())
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Kind, StringComparer.Ordinal).ToList();
    }

    public Task<List<MailOutboxItem>> OutboxEventuallyAsync(Guid paymentId, Func<List<MailOutboxItem>, bool> done, string what) =>
        Eventually.PollAsync(() => OutboxAsync(paymentId), done, what);

    /// <summary>The bank transfer messages that reached the mailbox of <paramref name="email"/>.</summary>
    public List<MimeMessage> BankMails(string email) =>
        [.. Mailbox.Read(MailDirectory).To(email).Where(m => (m.Subject ?? string.Empty).StartsWith("Bank transfer", StringComparison.Ordinal))];

    public static bool IsOutcome(MailOutboxItem item) => item.Kind is BankTransferMail.ConfirmedKind or BankTransferMail.RejectedKind;
}

/// <summary>Passes mail to the real sender, or refuses bank transfer messages as a mail server that is down would.</summary>
public sealed class SwitchableMailServer
{
    private int _refused;
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public int Refused => Volatile.Read(ref _refused);

    public IMailSender In(IMailSender real) => new Sender(this, real);

    private sealed class Sender(SwitchableMailServer server, IMailSender real) : IMailSender
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
        {
            if (!server.Down || !(message.Subject ?? string.Empty).StartsWith("Bank transfer", StringComparison.Ordinal))
            {
                return real.SendAsync(message, cancellationToken);
            }

            Interlocked.Increment(ref server._refused);
            throw new IOException("The mail server refused the message.");
        }
    }
}
