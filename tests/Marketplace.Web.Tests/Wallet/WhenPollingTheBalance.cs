using System.Net;
using System.Net.Http.Headers;
using Htmx;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Orders;

namespace Marketplace.Web.Tests.Wallet;

/// <summary>
/// Every open tab polls the balance (issue 16): the answer carries an ETag of what it shows, a poll naming it is
/// answered 304 with no body, and anything that moves the balance makes the same ETag stale, so no poll can keep
/// showing an old balance.
/// </summary>
public sealed class WhenPollingTheBalance(MarketplaceApp app) : IClassFixture<MarketplaceApp>
{
    private const string HeaderPoll = "/Wallet/HeaderBalance";
    private const string WalletSectionPoll = "/Wallet?handler=Balance";
    private const string ApiBalance = "/api/wallet/balance";

    [Theory]
    [InlineData(HeaderPoll, true)]
    [InlineData(WalletSectionPoll, true)]
    [InlineData(ApiBalance, false)]
    public async Task An_unchanged_balance_is_answered_304_with_no_body(string path, bool htmx)
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        using var first = await PollAsync(shopper.Client, path, htmx, null);
        var etag = first.Headers.ETag;

        using var second = await PollAsync(shopper.Client, path, htmx, etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        // The user's own answer, checked with the server on every use.
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control: {first.Headers.CacheControl}");
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Theory]
    [InlineData(HeaderPoll, true)]
    [InlineData(WalletSectionPoll, true)]
    [InlineData(ApiBalance, false)]
    public async Task After_a_purchase_the_old_etag_gets_the_new_balance(string path, bool htmx)
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        using var before = await PollAsync(shopper.Client, path, htmx, null);

        await shopper.Api.BuyAsync(Intents.IconPack, "12.50");
        using var after = await PollAsync(shopper.Client, path, htmx, before.Headers.ETag);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains("987.50", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_top_up_the_old_etag_gets_the_new_balance()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        using var before = await PollAsync(shopper.Client, HeaderPoll, true, null);

        await shopper.PaidTopUpsAsync(1);
        using var after = await PollAsync(shopper.Client, HeaderPoll, true, before.Headers.ETag);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain("1,000.00 MC", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_transfer_both_sides_get_their_new_balances()
    {
        using var sender = await WebShopper.RegisterAsync(app);
        using var recipient = await ApiClient.VerifiedAsync(app);
        using var senderBefore = await PollAsync(sender.Client, ApiBalance, false, null);
        using var recipientBefore = await PollAsync(recipient.Http, ApiBalance, false, null);

        using var sent = await sender.Api.TransactAsync(Intents.Transfer(recipient.User.Email, "40.00"));
        using var senderAfter = await PollAsync(sender.Client, ApiBalance, false, senderBefore.Headers.ETag);
        using var recipientAfter = await PollAsync(recipient.Http, ApiBalance, false, recipientBefore.Headers.ETag);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, senderAfter.StatusCode);
        Assert.Contains("\"available\":\"960.00\"", await senderAfter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, recipientAfter.StatusCode);
        Assert.Contains("\"available\":\"1040.00\"", await recipientAfter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_etag_for_the_same_balance_is_not_current()
    {
        using var first = await WebShopper.RegisterAsync(app);
        using var second = await WebShopper.RegisterAsync(app);
        using var firsts = await PollAsync(first.Client, HeaderPoll, true, null);

        using var seconds = await PollAsync(second.Client, HeaderPoll, true, firsts.Headers.ETag);

        Assert.Equal(HttpStatusCode.OK, seconds.StatusCode);
        Assert.NotEqual(firsts.Headers.ETag, seconds.Headers.ETag);
    }

    private static Task<HttpResponseMessage> PollAsync(HttpClient client, string path, bool htmx, EntityTagHeaderValue? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (htmx)
        {
            request.Headers.Add(HtmxRequestHeaders.Keys.Request, "true");
        }

        if (etag is not null)
        {
            request.Headers.IfNoneMatch.Add(etag);
        }

        return client.SendAsync(request);
    }
}
