using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// Two app instances on one database run the outbox job at once, one of them held inside SMTP on its first message
/// (as a slow server would): every message is sent once, by whichever run claimed its row.
/// </summary>
public sealed class WhenTwoWorkersSendTheMailOutbox : IDisposable
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-two-outbox-workers-");
    private readonly HoldingMailServer _server = new();

    [Fact]
    public async Task Each_mail_is_sent_once_whichever_worker_claims_it()
    {
        using var first = new OutboxWorkerApp(_dataDirectory, _server);
        using var second = new OutboxWorkerApp(_dataDirectory, _server);
        _ = first.CreateClient();
        _ = second.CreateClient();
        var queued = new List<Guid>();
        using (var scope = first.Services.CreateScope())
        {
            var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
            for (var i = 0; i < 3; i++)
            {
                queued.Add(outbox.Queue("test.mail", $"test:{i}", new MailboxAddress($"Reader {i}", $"reader{i}@example.test"), $"Message {i}", $"Body {i}").Id);
            }

            await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().SaveChangesAsync();
        }

        Task held;
        try
        {
            held = Run(first);
            await _server.Holding.Task.WaitAsync(Eventually.DefaultTimeout);
            // The second worker runs to the end while the first is inside SMTP with the message it claimed.
            await Run(second);
            Assert.Equal(2, _server.Sent.Count);
        }
        finally
        {
            _server.Release.TrySetResult();
        }

        await held.WaitAsync(Eventually.DefaultTimeout);
        var expected = queued.Select(id => MailOutbox.MessageIdFor(id, new MailboxAddress("Marketplace", "no-reply@localhost"))).Order(StringComparer.Ordinal);
        Assert.Equal(expected, _server.Sent.Order(StringComparer.Ordinal));
        using var check = first.Services.CreateScope();
        var rows = await check.ServiceProvider.GetRequiredService<MarketplaceDb>().MailOutbox.AsNoTracking().Where(m => queued.Contains(m.Id)).ToListAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal((MailOutboxStatus.Sent, 1), (r.Status, r.Attempts)));
    }

    private static async Task Run(MarketplaceApp app)
    {
        using var scope = app.Services.CreateScope();
        await ActivatorUtilities.CreateInstance<MailOutboxJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
    }

    public void Dispose()
    {
        _server.Release.TrySetResult();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }

    /// <summary>Records the Message-Id of every message it accepts; holds the first one until the test releases it.</summary>
    private sealed class HoldingMailServer : IMailSender
    {
        private int _calls;

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string> Sent { get; } = new();

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
        {
            if (!(message.Subject ?? string.Empty).StartsWith("Message ", StringComparison.Ordinal))
            {
                return;
            }

            if (Interlocked.Increment(ref _calls) == 1)
            {
                Holding.TrySetResult();
                await Release.Task;
            }

            Sent.Enqueue(message.MessageId ?? string.Empty);
        }
    }

    /// <summary>No sweep and no run after commits: the outbox job runs only when the test runs it.</summary>
    private sealed class OutboxWorkerApp(DirectoryInfo dataDirectory, IMailSender server) : MarketplaceApp(dataDirectory, ownsDataDirectory: false)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(MailOutboxJob.CronSetting, JobTesting.Never);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(server);
                services.AddSingleton<IMailOutboxTrigger, NoMailOutboxTrigger>();
            });
        }
    }
}
