using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>A package setting that is present but wrong stops the start, naming it as an environment variable.</summary>
public sealed class WhenAPackageSettingIsInvalid
{
    [Theory]
    [InlineData("Packages:4:Id", "popular", "Packages__4__Id", "unique")]
    [InlineData("Packages:4:Id", "Not An Id", "Packages__4__Id", "lowercase letters")]
    [InlineData("Packages:1:Credits", "0", "Packages__1__Credits", "positive")]
    [InlineData("Packages:1:Credits", "five hundred", "Packages__1__Credits", "an amount of credits")]
    [InlineData("Packages:1:Credits", "2000000.00", "Packages__1__Credits", "Marketplace__MaxAmount")]
    [InlineData("Packages:1:BonusPercent", "150", "Packages__1__BonusPercent", "from 0 to 100")]
    [InlineData("Packages:1:BonusPercent", "-5", "Packages__1__BonusPercent", "from 0 to 100")]
    [InlineData("Packages:1:Prices:USD", "-1", "Packages__1__Prices__USD", "positive price")]
    [InlineData("Packages:1:Prices:USD", "44.999", "Packages__1__Prices__USD", "2 decimal places")]
    [InlineData("Packages:1:Prices:TZS", "", "Packages__1__Prices__TZS", "positive price")]
    [InlineData("Packages:1:Prices:GBP", "40.00", "Packages__1__Prices__GBP", "no currency sold here")]
    [InlineData("Packages:1:Bonus", "10", "Packages__1__Bonus", "names no setting here; Id, Name, Credits, BonusPercent, Prices do")]
    [InlineData("Packages:popular:Id", "popular", "Packages__popular", "numbered")]
    [InlineData("Packages:4:Credits", "10.00", "Packages__4__Id", "missing")]
    public void The_app_does_not_start_and_names_the_setting(string key, string value, string named, string why)
    {
        using var app = new AppWith((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_without_any_price_does_not_start_the_app()
    {
        using var app = new AppWith(("Packages:4:Id", "bare"), ("Packages:4:Credits", "10.00"));

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("'Packages__4__Prices' is missing", error.Message, StringComparison.Ordinal);
    }

    private sealed class AppWith(params (string Key, string Value)[] settings) : MarketplaceApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
