using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>Two app instances on one data directory share the database and hangfire.db, as instances behind a load balancer would.</summary>
public sealed class WhenTwoInstancesDrainTheInbox : IDisposable
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-two-instances-");
    private readonly BlockingHandler _handler = new();

    [Fact]
    public async Task A_second_drain_leaves_the_inbox_to_the_one_running_and_every_row_is_done_once()
    {
        using var first = new AppWithBlockingHandler(_dataDirectory, _handler);
        using var second = new AppWithBlockingHandler(_dataDirectory, _handler);
        _ = first.CreateClient();
        _ = second.CreateClient();
        // Both runs at start have read an empty inbox and finished.
        var quiet = await JobTesting.SucceededDrainsAsync(first.Services, 2);
        await first.AcceptAsync("evt_one");
        await first.AcceptAsync("evt_two");

        try
        {
            first.RequestDrain();
            await _handler.Started.Task.WaitAsync(Eventually.DefaultTimeout);
            second.RequestDrain();
            // A drain that ran while the first holds the lock; without the lock it would be stuck in the handler on evt_two.
            await JobTesting.SucceededDrainsAsync(first.Services, quiet.Count + 1);

            Assert.Equal(WebhookStatus.Pending, (await RowAsync(first, "evt_two")).Status);
        }
        finally
        {
            _handler.Release.TrySetResult();
        }

        Assert.Equal(WebhookStatus.Done, (await SettledRowAsync(first, "evt_one")).Status);
        Assert.Equal(WebhookStatus.Done, (await SettledRowAsync(first, "evt_two")).Status);
        Assert.Equal(1, (await RowAsync(first, "evt_two")).Attempts);
        Assert.Equal(1, _handler.MostAtOnce);
    }

    private static Task<WebhookInboxItem> SettledRowAsync(MarketplaceApp app, string eventId) =>
        Eventually.PollAsync(() => RowAsync(app, eventId), r => r.Status == WebhookStatus.Done, $"{eventId} to be done");

    private static async Task<WebhookInboxItem> RowAsync(MarketplaceApp app, string eventId)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().WebhookInbox.AsNoTracking().SingleAsync(i => i.EventId == eventId);
    }

    public void Dispose()
    {
        _handler.Release.TrySetResult();
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
