using System.Net;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Web.Jobs;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

/// <summary>A handler for a made-up gateway that fails until the test says otherwise.</summary>
public sealed class FlakyHandler : IWebhookEventHandler
{
    public const string Name = "flaky";

    private volatile bool _failing = true;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public string Gateway => Name;

    public Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken) =>
        Failing ? throw new InvalidOperationException("flaky failure") : Task.FromResult<WebhookHandling>(new WebhookHandling.Done());
}

/// <summary>Two attempts, quick backoff and a sweep every second, so a dead letter happens within a test.</summary>
public sealed class AppWithFlakyHandler : MarketplaceApp
{
    public FlakyHandler Handler { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:MaxAttempts", "2");
        builder.UseSetting("Webhooks:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Webhooks:SweepCron", "* * * * * *");
        builder.ConfigureTestServices(s => s.AddScoped<IWebhookEventHandler>(_ => Handler));
    }
}

public sealed class WhenAWebhookKeepsFailing(AppWithFlakyHandler app) : IClassFixture<AppWithFlakyHandler>
{
    [Fact]
    public async Task It_becomes_a_dead_letter_an_admin_sees_and_retries_with_an_audit_entry()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        using (var scope = app.Services.CreateScope())
        {
            Assert.Equal(AcceptResult.Accepted, await scope.ServiceProvider.GetRequiredService<WebhookInbox>().AcceptAsync(FlakyHandler.Name, eventId, "flaky.event", "{}"));
            scope.ServiceProvider.GetRequiredService<WebhookInboxTrigger>().RequestRun();
        }

        var dead = await Eventually.PollAsync(() => RowAsync(eventId), r => r.Status == WebhookStatus.DeadLetter, "a dead letter");
        Assert.Equal(2, dead.Attempts);
        Assert.Contains("flaky failure", dead.LastError, StringComparison.Ordinal);

        using var admin = await WebShopper.RegisterAdminAsync(app, "admin@example.test");
        var page = await admin.GetHtmlAsync("/Admin/Webhooks");
        Assert.Contains(eventId, page, StringComparison.Ordinal);
        Assert.Contains("Dead letter", page, StringComparison.Ordinal);
        Assert.Contains("flaky failure", page, StringComparison.Ordinal);
        Assert.Contains($"aria-label=\"Retry {eventId}\"", page, StringComparison.Ordinal);

        app.Handler.Failing = false;
        using var retried = await admin.PostFormAsync("/Admin/Webhooks", "/Admin/Webhooks?handler=Retry", [new("id", dead.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        var done = await Eventually.PollAsync(() => RowAsync(eventId), r => r.Status == WebhookStatus.Done, "the retried event to be done");
        Assert.Equal(1, done.Attempts);
        using var scope2 = app.Services.CreateScope();
        var audit = await scope2.ServiceProvider.GetRequiredService<MarketplaceDb>().AuditEntries.SingleAsync(e => e.Subject == $"webhook:{dead.Id}");
        Assert.Equal("webhook.retry", audit.Action);
        Assert.Equal("admin@example.test", audit.AdminEmail);
        Assert.Contains(eventId, await admin.GetHtmlAsync("/Admin/Audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shopper_is_refused_the_webhooks_page_and_its_retry()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);

        using var page = await shopper.GetAsync("/Admin/Webhooks");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
    }

    private async Task<WebhookInboxItem> RowAsync(string eventId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().SingleAsync(i => i.EventId == eventId);
    }
}
