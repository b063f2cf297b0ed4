using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Core.Tests.Support;
using Microsoft.Extensions.Options;

namespace Marketplace.Core.Tests.Payments.BankTransfer;

public sealed class WhenBankSettingsAreRead
{
    private static readonly Dictionary<string, string?> Complete = new()
    {
        ["BANK_NAME"] = "Example Bank",
        ["BANK_ACCOUNT_NAME"] = "Marketplace Ltd",
        ["BANK_ACCOUNT_NUMBER"] = "0123456789",
        ["BANK_SWIFT_CODE"] = "exmptzt1",
    };

    [Fact]
    public void No_bank_detail_means_no_bank_transfer()
    {
        Assert.False(SettingsReading.Read<BankTransferOptions>([]).IsConfigured);
    }

    [Fact]
    public void All_four_details_offer_it_with_the_default_minimum_of_1000_usd()
    {
        var bank = SettingsReading.Read<BankTransferOptions>(Complete);

        Assert.True(bank.IsConfigured);
        Assert.Equal("EXMPTZT1", bank.SwiftCode);
        Assert.Equal(new Core.Money(100000, Currency.Usd), bank.Minimum);
    }

    [Theory]
    [InlineData("BANK_NAME")]
    [InlineData("BANK_ACCOUNT_NAME")]
    [InlineData("BANK_ACCOUNT_NUMBER")]
    [InlineData("BANK_SWIFT_CODE")]
    public void Some_details_without_the_others_stop_the_start_naming_the_missing_one(string missing)
    {
        var settings = new Dictionary<string, string?>(Complete) { [missing] = " " };

        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<BankTransferOptions>(settings));

        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BANK_SWIFT_CODE", "EXMP")]
    [InlineData("BANK_SWIFT_CODE", "EXMPTZT1X")]
    [InlineData("Bank:MinimumAmount", "ten")]
    [InlineData("Bank:MinimumAmount", "0")]
    [InlineData("Bank:MinimumAmount", "10.001")]
    public void A_present_but_invalid_setting_stops_the_start_naming_it(string key, string value)
    {
        var settings = new Dictionary<string, string?>(Complete) { [key] = value };

        var error = Assert.Throws<OptionsValidationException>(() => SettingsReading.Read<BankTransferOptions>(settings));

        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_is_configurable()
    {
        var settings = new Dictionary<string, string?>(Complete) { ["Bank:MinimumAmount"] = "250.50" };

        Assert.Equal(new Core.Money(25050, Currency.Usd), SettingsReading.Read<BankTransferOptions>(settings).Minimum);
    }

}
