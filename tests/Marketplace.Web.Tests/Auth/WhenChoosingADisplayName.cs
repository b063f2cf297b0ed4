using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;

namespace Marketplace.Web.Tests.Auth;

/// <summary>
/// Other people read a display name next to money, so it is 1–80 characters of visible text: no control characters,
/// no line breaks, no bidirectional overrides that make a name read as something else.
/// </summary>
public sealed class WhenChoosingADisplayName(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("\u202E")]
    [InlineData("Ann\u202Egnp.exe")]
    [InlineData("Ann\u2066Bob\u2069")]
    [InlineData("Ann\u200FBob")]
    [InlineData("two\nlines")]
    [InlineData("bell\u0007")]
    [InlineData("line\u2028separator")]
    public async Task A_name_with_invisible_or_control_characters_is_refused(string name)
    {
        var users = await app.CountUsersAsync();
        using var client = ApiClient.For(app);

        using var response = await client.RegisterAsync(TestUser.New() with { DisplayName = name });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_display_name");
        Assert.Equal(users, await app.CountUsersAsync());
    }

    [Fact]
    public async Task More_than_eighty_characters_is_refused_and_eighty_emoji_are_eighty_characters()
    {
        using var tooLong = ApiClient.For(app);
        using var refused = await tooLong.RegisterAsync(TestUser.New() with { DisplayName = new string('a', 81) });
        await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_display_name");

        using var emoji = ApiClient.For(app);
        var eighty = string.Concat(Enumerable.Repeat("\U0001F600", 80));
        using var accepted = await emoji.RegisterAsync(TestUser.New() with { DisplayName = eighty });

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(eighty, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("display_name").GetString());
    }

    [Fact]
    public async Task A_name_is_trimmed_and_letters_of_any_script_are_fine()
    {
        using var client = ApiClient.For(app);

        using var response = await client.RegisterAsync(TestUser.New() with { DisplayName = "  Zawadi Mushi – زوادي  " });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Zawadi Mushi – زوادي", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("display_name").GetString());
    }
}
