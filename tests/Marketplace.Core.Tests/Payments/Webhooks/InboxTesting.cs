using Marketplace.Core.Admin;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Core.Tests.Payments.Webhooks;

/// <summary>A handler whose verdict the test sets, counting the rows it was given.</summary>
internal sealed class ScriptedHandler(string gateway) : IWebhookEventHandler
{
    private int _calls;

    public string Gateway => gateway;

    public Func<WebhookInboxItem, WebhookHandling> Verdict { get; set; } = _ => new WebhookHandling.Done();

    public int Calls => Volatile.Read(ref _calls);

    public Task<WebhookHandling> HandleAsync(WebhookInboxItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Verdict(item));
    }
}

/// <summary>The inbox and its processor wired as the app wires them, over a test database and its manual clock.</summary>
internal sealed class InboxHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public InboxHarness(TestDatabase database, ScriptedHandler handler, WebhookOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(database.Clock);
        services.AddScoped(_ => database.NewContext());
        services.AddScoped<AuditLog>();
        services.AddScoped<WebhookInbox>();
        services.AddScoped<IWebhookEventHandler>(_ => handler);
        services.AddSingleton(options);
        services.AddSingleton<WebhookProcessor>();
        _services = services.BuildServiceProvider();
        Database = database;
    }

    public TestDatabase Database { get; }

    public WebhookProcessor Processor => _services.GetRequiredService<WebhookProcessor>();

    public async Task<AcceptResult> AcceptAsync(string gateway, string eventId, string payload = "{}")
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhookInbox>().AcceptAsync(gateway, eventId, "test.event", payload);
    }

    public async Task<RetryResult> RetryAsync(long id)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhookInbox>().RetryAsync(id, new AdminActor(Guid.NewGuid(), "admin@example.test"), "Fixed the cause");
    }

    public async Task<WebhookInboxItem> RowAsync(string gateway, string eventId)
    {
        await using var db = Database.NewContext();
        return await db.WebhookInbox.AsNoTracking().SingleAsync(i => i.Gateway == gateway && i.EventId == eventId);
    }

    public async Task<int> CountAsync(string gateway)
    {
        await using var db = Database.NewContext();
        return await db.WebhookInbox.CountAsync(i => i.Gateway == gateway);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
