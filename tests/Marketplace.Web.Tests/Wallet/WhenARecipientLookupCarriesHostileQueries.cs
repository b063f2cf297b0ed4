using System.Net;
using System.Text.Json;

namespace Marketplace.Web.Tests.Wallet;

/// <summary>
/// The hostile-input suite sends POSTs only, so the one GET that reads a free-text query, the transfer review's
/// recipient lookup, gets its broken queries here: each is a 400 or 404 problem with a code, never a 5xx, and none
/// names anyone.
/// </summary>
public sealed class WhenARecipientLookupCarriesHostileQueries(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    public static TheoryData<string> Queries =>
    [
        "",
        "?email",
        "?email=",
        "?email=%20%20",
        "?email=not-an-address",
        "?email=%25",
        "?email=%25%40%25",
        "?email=_%40example.test",
        "?email=%00",
        "?email=a%00b%40example.test",
        "?email=%ED%A0%80%40example.test",
        "?email=%FF%FE",
        "?email=%F0%9F%98%80%40example.test",
        "?email=' OR 1=1 --",
        "?email=%27%29%3B%20DROP%20TABLE%20Users%3B--",
        "?email=a%40example.test&email=b%40example.test",
        "?email[]=a%40example.test",
        "?email=" + new string('a', 250) + "%40example.test",
        "?email=" + new string('x', 20_000),
        "?email=%E2%80%AEtset.elpmaxe%40a",
        "?email=%0D%0ASet-Cookie:%20x=y",
        "?email=%%%",
        "?email=%C0%AE%C0%AE%2F",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Each_is_a_4xx_problem_with_a_code_and_names_nobody(string query)
    {
        using var sender = await WebShopper.RegisterAsync(app);

        using var response = await sender.GetAsync("/api/wallet/recipient" + query);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.StatusCode} for {query}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("code").GetString()));
        Assert.False(body.TryGetProperty("display_name", out _));
    }
}
