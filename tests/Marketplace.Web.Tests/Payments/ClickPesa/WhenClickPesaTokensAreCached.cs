using Marketplace.Core.Payments.ClickPesa;

namespace Marketplace.Web.Tests.Payments.ClickPesa;

/// <summary>The client against the fake directly, with a clock the test moves.</summary>
public sealed class WhenClickPesaTokensAreCached : IAsyncLifetime, IDisposable
{
    private readonly TestClock _clock = new();
    private FakeClickPesa _fake = null!;
    private HttpClient _http = null!;
    private ClickPesaTokenCache _tokens = null!;
    private ClickPesaClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeClickPesa.StartAsync();
        var options = new ClickPesaOptions { ClientId = FakeClickPesa.ClientId, ApiKey = FakeClickPesa.ApiKey, ChecksumKey = FakeClickPesa.ChecksumKey, ApiBase = _fake.ApiBase };
        _http = new HttpClient { BaseAddress = _fake.ApiBase };
        _tokens = new ClickPesaTokenCache(options, _clock);
        _client = new ClickPesaClient(_http, options, _tokens);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _tokens.Dispose();
    }

    [Fact]
    public async Task Several_calls_within_the_hour_use_one_token()
    {
        for (var i = 0; i < 5; i++)
        {
            await QueryAsync();
            _clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(1, _fake.TokenRequests);
        Assert.Single(_fake.Requests.Where(r => r.Path.EndsWith("/generate-token", StringComparison.Ordinal)), r => r.ClientIdHeader == FakeClickPesa.ClientId && r.ApiKeyHeader == FakeClickPesa.ApiKey);
    }

    [Fact]
    public async Task The_token_is_renewed_shortly_before_its_hour_is_up()
    {
        await QueryAsync();
        _clock.Advance(TimeSpan.FromMinutes(54));
        await QueryAsync();
        Assert.Equal(1, _fake.TokenRequests);

        _clock.Advance(TimeSpan.FromMinutes(2));
        await QueryAsync();
        await QueryAsync();

        Assert.Equal(2, _fake.TokenRequests);
        var authorizations = _fake.Requests.Where(r => r.Method == "GET").Select(r => r.Authorization).ToList();
        Assert.Equal(2, authorizations.Distinct().Count());
    }

    [Fact]
    public async Task A_token_refused_before_its_time_is_replaced_once_and_the_call_repeated()
    {
        await QueryAsync();
        _fake.RevokeTokens();

        var result = await _client.QueryPaymentAsync("NOSUCHORDER", CancellationToken.None);

        // The fake knows no such order: 404 after a fresh token, not 401.
        Assert.Equal(404, Assert.IsType<ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed>(result).Status);
        Assert.Equal(2, _fake.TokenRequests);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_failure_not_an_exception()
    {
        var options = new ClickPesaOptions { ClientId = "someone-else", ApiKey = "wrong", ChecksumKey = FakeClickPesa.ChecksumKey, ApiBase = _fake.ApiBase };
        using var tokens = new ClickPesaTokenCache(options, _clock);
        var client = new ClickPesaClient(_http, options, tokens);

        var result = await client.QueryPaymentAsync("ANY", CancellationToken.None);

        var failed = Assert.IsType<ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed>(result);
        Assert.Equal(401, failed.Status);
        Assert.False(failed.Transient);
    }

    private async Task QueryAsync()
    {
        var result = await _client.QueryPaymentAsync("NOSUCHORDER", CancellationToken.None);
        Assert.Equal(404, Assert.IsType<ClickPesaResult<IReadOnlyList<ClickPesaPaymentStatus>>.Failed>(result).Status);
    }
}
