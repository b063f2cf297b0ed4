using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>The packages come from configuration: the demo configuration's four, and whatever an operator adds.</summary>
public sealed class WhenListingPackages(WhenListingPackages.AppWithAFifthPackage app) : IClassFixture<WhenListingPackages.AppWithAFifthPackage>
{
    [Fact]
    public async Task Anyone_gets_the_configured_packages_in_order_with_credits_bonus_and_prices()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/api/packages", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["starter", "popular", "plus", "mega", "family"], items.Select(i => i.GetProperty("id").GetString()));
        var popular = items[1];
        Assert.Equal("Popular", popular.GetProperty("name").GetString());
        Assert.Equal("500.00", popular.GetProperty("credits").GetString());
        Assert.Equal("10", popular.GetProperty("bonus_percent").GetString());
        Assert.Equal("50.00", popular.GetProperty("bonus").GetString());
        Assert.Equal("550.00", popular.GetProperty("total_credits").GetString());
        var price = Assert.Single(popular.GetProperty("prices").EnumerateArray());
        Assert.Equal("USD", price.GetProperty("currency").GetString());
        Assert.Equal("44.99", price.GetProperty("amount").GetString());
        Assert.Equal("0.0818", price.GetProperty("per_credit").GetString());
        Assert.Equal("0", items[0].GetProperty("bonus_percent").GetString());
        Assert.Equal("0.00", items[0].GetProperty("bonus").GetString());
    }

    [Fact]
    public async Task A_package_added_by_configuration_is_listed_with_its_name_defaulted_and_each_currency_it_is_sold_in()
    {
        using var client = app.CreateBrowserClient();

        var family = (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/packages", UriKind.Relative))).GetProperty("items")[4];

        Assert.Equal("Family", family.GetProperty("name").GetString());
        Assert.Equal("12.5", family.GetProperty("bonus_percent").GetString());
        Assert.Equal("25.00", family.GetProperty("bonus").GetString());
        Assert.Equal(
            [("EUR", "18.00", "0.0800"), ("TZS", "50000", "222.22")],
            family.GetProperty("prices").EnumerateArray().Select(p => (p.GetProperty("currency").GetString(), p.GetProperty("amount").GetString(), p.GetProperty("per_credit").GetString())).OrderBy(p => p.Item1));
    }

    public sealed class AppWithAFifthPackage : MarketplaceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Packages:4:Id", "family");
            builder.UseSetting("Packages:4:Credits", "200.00");
            builder.UseSetting("Packages:4:BonusPercent", "12.5");
            builder.UseSetting("Packages:4:Prices:EUR", "18.00");
            builder.UseSetting("Packages:4:Prices:TZS", "50000");
        }
    }
}
