using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Payments.ClickPesa;
using Marketplace.Core.Payments.Demo;
using Marketplace.Core.Payments.Stripe;
using Marketplace.Core.Payments.Webhooks;
using Marketplace.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Core.Payments;

/// <summary>
/// The registry: every gateway this app knows, in the order of the "Payment method" choices. A new gateway is a folder
/// under Payments/ with a class that implements <see cref="IPaymentGateway"/> and <see cref="IGatewayRegistration"/>,
/// and one line here. From this list come the services (only configured gateways are offered), the webhook route
/// <c>/api/webhooks/{gateway}</c>, the CSP form-action origins and the clearing accounts.
/// </summary>
public static class PaymentGateways
{
    public static readonly IReadOnlyList<Registration> All =
    [
        Registration.Of<DemoGateway>(),
        Registration.Of<StripeGateway>(),
        Registration.Of<ClickPesaGateway>(),
        Registration.Of<BankTransferGateway>(),
    ];

    /// <summary>Every gateway's wire name, configured here or not (their clearing accounts always exist).</summary>
    public static IEnumerable<string> Names => All.Select(g => g.Name);

    /// <summary>The configured gateways: each as itself, as an <see cref="IPaymentGateway"/>, and with its event handler.</summary>
    public static IServiceCollection AddPaymentGateways(this IServiceCollection services, StartupSettings settings)
    {
        foreach (var gateway in All)
        {
            gateway.TryAdd(services, settings);
        }

        return services;
    }

    /// <summary>The configured gateway with this wire name (any case), or null.</summary>
    public static IPaymentGateway? Find(this IEnumerable<IPaymentGateway> gateways, string? name)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        return gateways.FirstOrDefault(g => string.Equals(g.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    public sealed record Registration(string Name, Action<IServiceCollection, StartupSettings> TryAdd)
    {
        public static Registration Of<TGateway>()
            where TGateway : class, IPaymentGateway, IGatewayRegistration => new(TGateway.GatewayName, (services, settings) =>
            {
                if (!TGateway.TryAdd(services, settings))
                {
                    return;
                }

                // Scoped: a gateway may use the request's database context (bank references) or inbox.
                services.AddScoped<TGateway>();
                services.AddScoped<IPaymentGateway>(sp => sp.GetRequiredService<TGateway>());
                services.AddScoped<IWebhookEventHandler, GatewayEventHandler<TGateway>>();
            });
    }
}
