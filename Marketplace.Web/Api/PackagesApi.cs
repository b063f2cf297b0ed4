using Marketplace.Core.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

public static class PackagesApi
{
    /// <param name="PerCredit">The price of one credit of the whole grant (bonus included), two places finer than the currency.</param>
    public sealed record PackagePriceResponse(string Currency, string Amount, string PerCredit);

    /// <param name="BonusPercent">The bonus rate, e.g. "10" or "12.5".</param>
    /// <param name="TotalCredits">Credits and bonus together: what the wallet receives.</param>
    public sealed record PackageResponse(string Id, string Name, string Credits, string BonusPercent, string Bonus, string TotalCredits, IReadOnlyList<PackagePriceResponse> Prices);

    public sealed record PackageListResponse(IReadOnlyList<PackageResponse> Items);

    public static RouteGroupBuilder MapPackagesApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/packages").WithTags("Payments").MapGet("/", List)
            .WithSummary("The top-up packages on offer, in order: credits, bonus and price per currency (buy one with POST /api/payments/initiate { package_id, currency, gateway })");
        return api;
    }

    public static Ok<PackageListResponse> List(CreditPackageOptions packages) =>
        TypedResults.Ok(new PackageListResponse(packages.All.Select(ToResponse).ToList()));

    private static PackageResponse ToResponse(CreditPackage p) => new(
        p.Id,
        p.Name,
        p.Credits.ToDecimalString(),
        Core.DecimalString.Format(p.BonusBasisPoints, 2).TrimEnd('0').TrimEnd('.'),
        p.Bonus.ToDecimalString(),
        p.Total.ToDecimalString(),
        p.Prices.Select(price => new PackagePriceResponse(price.Currency.Code, price.ToDecimalString(), p.PricePerCredit(price))).ToList());
}
