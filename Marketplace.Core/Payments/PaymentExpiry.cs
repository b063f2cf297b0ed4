using Marketplace.Core.Persistence;
using Marketplace.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Core.Payments;

public sealed class PaymentExpiryOptions : ISettings<PaymentExpiryOptions>
{
    public static string Section => "Payments";

    /// <summary>An open payment older than this is closed at its gateway and marked expired (<c>Payments:ExpireAfter</c>).</summary>
    public TimeSpan ExpireAfter { get; init; } = TimeSpan.FromHours(1);

    public void Validate(SettingChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        check.PositiveTimeSpan(nameof(ExpireAfter), ExpireAfter);
    }
}

/// <summary>
/// Expires stale open payments of gateways whose checkouts lapse (<see cref="IPaymentGateway.ExpiresByAge"/>): the
/// checkout is closed at the gateway first, and only then is the payment marked expired through <see cref="PaymentService.CompleteAsync"/>.
/// </summary>
public sealed partial class PaymentExpiry(IServiceScopeFactory scopes, PaymentExpiryOptions options, TimeProvider clock, ILogger<PaymentExpiry> logger)
{
    private const int BatchSize = 100;

    /// <summary>Returns how many payments it expired.</summary>
    public async Task<int> ExpireStaleAsync(CancellationToken cancellationToken = default)
    {
        List<Guid> stale;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
            var lapsing = scope.ServiceProvider.GetServices<IPaymentGateway>().Where(g => g.ExpiresByAge).Select(g => g.Name).ToList();
            var cutoff = clock.GetUtcNow().UtcDateTime - options.ExpireAfter;
            stale = await db.Payments
                .Where(p => (p.Status == PaymentStatus.Created || p.Status == PaymentStatus.Pending) && p.CreatedAt <= cutoff && lapsing.Contains(p.Gateway))
                .OrderBy(p => p.CreatedAt)
                .Select(p => p.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var expired = 0;
        foreach (var id in stale)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
            var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == id, cancellationToken);
            if (scope.ServiceProvider.GetServices<IPaymentGateway>().Find(payment.Gateway) is not { ExpiresByAge: true } gateway)
            {
                continue;
            }

            var closed = await gateway.CloseAsync(payment, cancellationToken);
            if (closed == CheckoutClosing.TryLater)
            {
                LogCloseFailed(logger, payment.Id);
            }

            if (closed == CheckoutClosing.Closed
                && await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(id, PaymentOutcome.Expired, cancellationToken: cancellationToken) is CompletionResult.Completed { AlreadyFinal: false })
            {
                expired++;
            }
        }

        return expired;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not close the checkout of payment {PaymentId}; the next sweep tries again")]
    private static partial void LogCloseFailed(ILogger logger, Guid paymentId);
}
