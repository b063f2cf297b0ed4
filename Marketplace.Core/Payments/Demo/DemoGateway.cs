namespace Marketplace.Core.Payments.Demo;

/// <summary>A hosted-checkout look-alike inside the app, for demo mode and tests.</summary>
public sealed class DemoGateway : IPaymentGateway, ICheckoutExpiry
{
    public const string GatewayName = "demo";
    public const string SucceedingCard = "4242424242424242";
    public const string DecliningCard = "4000000000000002";

    public string Name => GatewayName;

    public string DisplayName => "Demo";

    public bool Supports(Currency currency) => currency != Currency.Credits;

    public Task<GatewayCheckout> StartCheckoutAsync(Payment payment, Uri siteOrigin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Task.FromResult(new GatewayCheckout(new Uri(siteOrigin, $"/payments/demo/{payment.Id}"), $"demo_{payment.Id:N}"));
    }

    /// <summary>The demo checkout is a page of ours: once its payment expired the page no longer takes a card.</summary>
    public Task<CheckoutExpiry> CloseCheckoutAsync(Payment payment, CancellationToken cancellationToken) => Task.FromResult(CheckoutExpiry.Expired);

    /// <summary>What the demo "card" does: pays, declines, or is not a test card at all.</summary>
    public static DemoCardOutcome Classify(string? cardNumber)
    {
        var digits = new string((cardNumber ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits switch
        {
            SucceedingCard => DemoCardOutcome.Pays,
            DecliningCard => DemoCardOutcome.Declined,
            _ => DemoCardOutcome.Unknown,
        };
    }
}

public enum DemoCardOutcome
{
    Unknown,
    Pays,
    Declined,
}
