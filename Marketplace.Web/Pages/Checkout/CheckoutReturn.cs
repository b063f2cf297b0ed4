using System.Globalization;
using Marketplace.Core;

namespace Marketplace.Web.Pages.Checkout;

/// <summary>
/// Issue 14, defect 3: a top-up started from a checkout that fell short returns the shopper to that checkout. Only a
/// checkout path rebuilt from a product id and a quantity is ever followed, so the value cannot redirect anywhere else.
/// It rides from the Buy credits form to the payment's return page in a cookie scoped to that one payment.
/// </summary>
public static class CheckoutReturn
{
    public const string FormField = "return_to";

    private const string CookiePrefix = "checkout_return_";

    public static string PathFor(Guid productId, int quantity) =>
        string.Create(CultureInfo.InvariantCulture, $"/checkout/{productId}?quantity={quantity}");

    /// <summary>The canonical checkout path <paramref name="value"/> names, or null for anything else.</summary>
    public static string? Parse(string? value)
    {
        const string prefix = "/checkout/";
        const string query = "?quantity=";
        if (value is null || !value.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        var rest = value[prefix.Length..];
        var split = rest.IndexOf(query, StringComparison.Ordinal);
        if (split < 0
            || !Guid.TryParseExact(rest[..split], "D", out var productId)
            || !int.TryParse(rest[(split + query.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity)
            || quantity is < 1 or > IndexModel.MaxQuantity)
            return null;
        return PathFor(productId, quantity);
    }

    public static void Remember(HttpResponse response, Guid paymentId, string path) =>
        response.Cookies.Append(CookiePrefix + paymentId.ToString("N"), path, new CookieOptions
        {
            Path = "/payments",
            HttpOnly = true,
            Secure = response.HttpContext.Request.IsHttps,
            // Lax: the gateway sends the shopper back with a top-level GET from its own site.
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromDays(1),
        });

    public static string? Recall(HttpRequest request, Guid paymentId) =>
        Parse(request.Cookies[CookiePrefix + paymentId.ToString("N")]);

    public static void Forget(HttpResponse response, Guid paymentId) =>
        response.Cookies.Delete(CookiePrefix + paymentId.ToString("N"), new CookieOptions { Path = "/payments" });

    /// <summary>What a shortfall of <paramref name="credits"/> costs in the Buy credits form's default currency.</summary>
    public static Money CostOf(Credits credits, MarketplaceOptions options) =>
        options.CreditPrices.CostOf(credits, Currency.Usd);
}
