namespace Marketplace.Web.Jobs;

/// <summary>
/// A background job Hangfire runs: resolved from a fresh DI scope per run. Hangfire passes its own token for
/// <paramref name="cancellationToken"/>; it fires when the server stops past <c>Hosting__ShutdownTimeout</c> or an
/// admin deletes the running job on the dashboard.
/// </summary>
public interface IMarketplaceJob
{
    Task RunAsync(CancellationToken cancellationToken);
}
