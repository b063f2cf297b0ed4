using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>An app instance on a data directory the test owns, so a second instance can start on the same files.</summary>
public sealed class AppOnDataDirectory(DirectoryInfo dataDirectory) : MarketplaceApp(dataDirectory, ownsDataDirectory: false);

public sealed class WhenTheAppRestarts : IDisposable
{
    private static readonly Uri Origin = new(MarketplaceApp.Origin);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("marketplace-restart-tests-");

    [Fact]
    public async Task A_session_cookie_and_the_balance_survive_a_restart()
    {
        var cookies = new CookieContainer();
        using (var first = new AppOnDataDirectory(_dataDirectory))
        {
            using var client = new ApiClient(first.CreateDefaultClient(Origin, new CookieContainerHandler(cookies)));
            using (var registered = await client.RegisterAsync(TestUser.New()))
            {
                Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            }

            var id = await client.InitiateTopUpAsync("25.00", "USD");
            using (var scope = first.Services.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<PaymentService>().CompleteAsync(id, PaymentOutcome.Succeeded);
            }

            Assert.Equal("1025.00", await client.AvailableAsync());
        }

        using var second = new AppOnDataDirectory(_dataDirectory);
        using var browser = second.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Origin, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/wallet/balance", UriKind.Relative));
        request.Headers.Add("Cookie", cookies.GetCookieHeader(Origin));

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("1025.00", balance.GetProperty("available").GetString());
        // The key ring is in the database, where other instances find it, and no longer in files beside it.
        using (var scope = second.Services.CreateScope())
        {
            Assert.NotEmpty(scope.ServiceProvider.GetRequiredService<MarketplaceDb>().DataProtectionKeys.ToList());
        }

        Assert.False(Directory.Exists(Path.Combine(_dataDirectory.FullName, "keys", "data-protection")));
    }

    [Fact]
    public async Task A_made_up_session_cookie_is_not_accepted_on_the_same_data()
    {
        using var app = new AppOnDataDirectory(_dataDirectory);
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Origin, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/wallet/balance", UriKind.Relative));
        request.Headers.Add("Cookie", "marketplace.session=CfDJ8forged");

        using var response = await browser.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "not_signed_in");
    }

    public void Dispose()
    {
        MarketplaceApp.ReleaseDatabase(_dataDirectory);
        _dataDirectory.Delete(recursive: true);
    }
}
