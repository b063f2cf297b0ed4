using Microsoft.Playwright;

namespace Marketplace.E2E;

/// <summary>Gives each test a fresh browser context (no cookies or storage from other tests) and one page in it.</summary>
/// <remarks>xunit 2 does not inherit [Collection]: put [Collection("app")] on each test class.</remarks>
public abstract class BrowserTest(AppServer app, BrowserFixture browser) : IAsyncLifetime
{
    private IBrowserContext? _context;
    private IPage? _page;

    protected AppServer App { get; } = app;

    protected IPage Page => _page ?? throw new InvalidOperationException("The page is created in InitializeAsync.");

    /// <summary>Another fresh context, for a second user acting at the same time (e.g. a seller).</summary>
    protected Task<IBrowserContext> NewContextAsync() => browser.NewContextAsync(App.BaseUrl);

    public async Task InitializeAsync()
    {
        _context = await browser.NewContextAsync(App.BaseUrl);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
            await _context.DisposeAsync();
    }
}
