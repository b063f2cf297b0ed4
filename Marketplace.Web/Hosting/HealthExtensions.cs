using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marketplace.Web.Hosting;

/// <summary>
/// <c>/healthz</c>: the process answers (liveness, no dependencies). <c>/readyz</c>: the database answers, no
/// migration is pending and the latest reconciliation run was clean; anything else is 503 with a JSON body
/// naming the check (a run with discrepancies reports <c>Degraded</c>).
/// </summary>
public static class HealthExtensions
{
    private const string Ready = "ready";

    public static IServiceCollection AddMarketplaceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<MigrationsCheck>("migrations", tags: [Ready])
            .AddCheck<ReconciliationCheck>("reconciliation", tags: [Ready]);
        return services;
    }

    public static WebApplication MapMarketplaceHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteJson,
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    private sealed class DatabaseCheck(MarketplaceDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
    }

    private sealed class MigrationsCheck(MarketplaceDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Every migration is applied.")
                : HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}.");
        }
    }

    private sealed class ReconciliationCheck(ReconciliationService reconciliation) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var latest = await reconciliation.LatestAsync(cancellationToken);
            return latest switch
            {
                null => HealthCheckResult.Healthy("No reconciliation has run yet."),
                { Status: ReconciliationStatus.Clean } => HealthCheckResult.Healthy($"Reconciliation run {latest.Id} was clean."),
                _ => HealthCheckResult.Degraded($"Reconciliation run {latest.Id} found {latest.DiscrepancyCount} discrepancies."),
            };
        }
    }
}
