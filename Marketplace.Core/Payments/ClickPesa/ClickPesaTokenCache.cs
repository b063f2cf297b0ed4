namespace Marketplace.Core.Payments.ClickPesa;

/// <summary>
/// One ClickPesa token for the whole app, fetched on first use and kept until <see cref="ClickPesaOptions.TokenRenewBefore"/>
/// before its hour is up (by the injected clock), so a burst of calls costs one token request, not one each
/// (ClickPesa allows 120 requests a minute). Callers that get a 401 with it call <see cref="Forget"/>.
/// </summary>
public sealed class ClickPesaTokenCache(ClickPesaOptions options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    public async Task<ClickPesaResult<string>> GetAsync(Func<CancellationToken, Task<ClickPesaResult<string>>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } cached && clock.GetUtcNow() < _renewAt)
            {
                return new ClickPesaResult<string>.Ok(cached);
            }

            // The hour counts from when we asked, which is never later than when ClickPesa issued it.
            var requestedAt = clock.GetUtcNow();
            var fetched = await fetch(cancellationToken);
            if (fetched is ClickPesaResult<string>.Ok { Value: var token })
            {
                _token = token;
                _renewAt = requestedAt + ClickPesaOptions.TokenLifetime - options.TokenRenewBefore;
            }

            return fetched;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="token"/> if it is still the cached one (ClickPesa refused it, e.g. after a settings change).</summary>
    public void Forget(string token)
    {
        _gate.Wait();
        try
        {
            if (_token == token)
            {
                _token = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
