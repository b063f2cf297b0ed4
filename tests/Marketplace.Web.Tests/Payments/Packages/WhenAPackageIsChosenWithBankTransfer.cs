using System.Net;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.BankTransfer;

namespace Marketplace.Web.Tests.Payments.Packages;

/// <summary>Bank transfers credit what arrives, which a package's fixed price and bonus cannot follow: packages are not sold that way.</summary>
public sealed class WhenAPackageIsChosenWithBankTransfer(BankTransferApp app) : IClassFixture<BankTransferApp>
{
    [Fact]
    public async Task It_is_refused_with_the_reason_and_nothing_is_created()
    {
        using var client = await ApiClient.RegisteredAsync(app);
        var before = await app.CountPaymentsAsync();

        using var response = await client.PostJsonAsync("/api/payments/initiate", new { PackageId = "mega", Currency = "USD", Gateway = "bank" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "package_not_offered");
        Assert.Equal("gateway", problem.GetProperty("field").GetString());
        Assert.Contains("not sold by Bank transfer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountPaymentsAsync());
    }
}
