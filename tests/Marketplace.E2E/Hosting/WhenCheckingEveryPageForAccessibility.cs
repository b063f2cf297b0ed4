using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Marketplace.E2E.Wallet;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Hosting;

/// <summary>
/// Issue 14: every page a visitor, shopper, seller and admin can reach, at a desktop and a phone width, checked by axe-core
/// (no critical or serious violation) and for sideways scrolling (WCAG 1.4.10). One app and one browser for the whole
/// sweep; each page is screenshotted into the test results folder for a reviewer.
/// </summary>
[Collection("app")]
public sealed partial class WhenCheckingEveryPageForAccessibility(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private const string AdminEmail = "a11y-admin@example.test";
    private static readonly Guid IconPack = new("9d0d0c7a-0000-4000-8000-000000000001");
    private static readonly int[] Widths = [1280, 390];
    private static readonly string[] Blocking = ["critical", "serious"];

    // The pages a reviewer looks at (issue 14); the others are checked but not photographed, to keep the run short.
    private static readonly string[] Screenshotted = ["/Wallet", "/checkout", "/Orders/", "/Seller", "/Admin", "/payments"];

    private readonly List<string> _problems = [];
    private int _visited;

    [Fact]
    public async Task No_page_has_a_serious_violation_or_scrolls_sideways_signed_in_or_out_at_1280_and_390_px()
    {
        await SweepAsync(Page, "visitor", "/", "/?q=icon&sort=price", $"/products/{IconPack}", "/Account/Login", "/Account/Register", "/Account/Recover");

        // An admin who also sells a service, so the seller page has an order to deliver and the admin pages have rows.
        await using var adminContext = await NewContextAsync();
        var adminPage = await adminContext.NewPageAsync();
        var admin = new Shopper(adminPage, AdminEmail);
        await admin.RegisterAsync();
        await admin.VerifyEmailAsync();
        await App.GrantAdminAsync(AdminEmail);
        var serviceUrl = await ListServiceAsync(adminPage, $"Logo design {Guid.NewGuid():N}", "30.00");
        // And a digital product with a file and a licence, so the delivery pages (edit page, Download) are swept too.
        var digitalUrl = await ListDigitalAsync(adminPage, $"Field guide {Guid.NewGuid():N}", "9.00");
        var digitalEditPage = $"/Seller/Products/{ProductId(digitalUrl)}";

        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.TopUpAsync("25.00", "USD", Shopper.PayingCard);
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");
        var returnPage = new Uri(Page.Url).AbsolutePath;
        await Page.GotoAsync("/Wallet");
        await shopper.StartTopUpAsync("1000.00", "USD", "Bank transfer");
        await Page.WaitForURLAsync(BankPageUrl());
        var bankPage = new Uri(Page.Url).AbsolutePath;
        await shopper.BuyAsync(IconPack);
        await Page.WaitForURLAsync(OrderUrl());
        var orderPage = new Uri(Page.Url).AbsolutePath;
        await Page.GotoAsync(serviceUrl);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Buy now" }).ClickAsync();
        await Page.GetByLabel("Passphrase").FillAsync(shopper.Passphrase);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm purchase" }).ClickAsync();
        await Page.WaitForURLAsync(OrderUrl());
        var serviceOrderPage = new Uri(Page.Url).AbsolutePath;
        await shopper.BuyAsync(ProductId(digitalUrl));
        await Page.WaitForURLAsync(OrderUrl());
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Your download" }).GetByRole(AriaRole.Button, new() { Name = "Download" })).ToBeVisibleAsync();
        var digitalOrderPage = new Uri(Page.Url).AbsolutePath;

        await SweepAsync(Page, "shopper",
            "/Wallet", "/Wallet?buy=true", "/Wallet/Transfer", "/Wallet/Statement", "/Orders", orderPage, serviceOrderPage, digitalOrderPage,
            $"/checkout/{IconPack}?quantity=1", $"/checkout/{IconPack}?quantity=500", returnPage, bankPage,
            "/Account", "/Account/Backup", "/Seller", "/dev/mail");

        await adminPage.GotoAsync("/Admin/Reconciliation");
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(adminPage.GetByRole(AriaRole.Status)).ToContainTextAsync("no discrepancies");
        await adminPage.GotoAsync($"/Admin/Users?q={Uri.EscapeDataString(shopper.Email)}");
        var shopperDetail = await adminPage.GetByRole(AriaRole.Table, new() { Name = "Users" }).GetByRole(AriaRole.Link).First.GetAttributeAsync("href")
            ?? throw new InvalidOperationException("The users table has no link.");

        await SweepAsync(adminPage, "seller and admin",
            "/Seller", digitalEditPage, "/Admin", "/Admin/BankTransfers", "/Admin/Webhooks", "/Admin/Users", shopperDetail,
            "/Admin/Audit", "/Admin/Reconciliation");

        Assert.True(_visited >= 2 * 31, $"Only {_visited} page visits were checked.");
        Assert.True(_problems.Count == 0, $"{_problems.Count} problem(s):\n" + string.Join("\n", _problems));
    }

    private async Task SweepAsync(IPage page, string who, params string[] paths)
    {
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            foreach (var path in paths)
            {
                await CheckAsync(page, who, path, width);
            }
        }
    }

    private async Task CheckAsync(IPage page, string who, string path, int width)
    {
        var where = $"{who} {path} at {width} px";
        var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
        _visited++;
        if (response is null || !response.Ok)
        {
            _problems.Add($"{where}: answered {response?.Status}");
            return;
        }

        // Disclosures (the receipt's raw signed JSON) are opened, so what they hide is checked as well.
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
        var overflow = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (overflow[0] > overflow[1])
        {
            var widest = await page.EvaluateAsync<string>(WidestElementScript);
            _problems.Add($"{where}: scrolls sideways (scrollWidth {overflow[0]} > innerWidth {overflow[1]}; widest: {widest})");
        }

        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => Blocking.Contains(v.Impact)))
        {
            var targets = string.Join(", ", violation.Nodes.Take(3).Select(node => node.Target.ToString()));
            _problems.Add($"{where}: axe {violation.Id} ({violation.Impact}) {violation.Help} at {targets}");
        }

        if (Screenshotted.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            await page.ScreenshotAsync(new() { Path = ScreenshotPath(who, path, width), FullPage = true });
    }

    // Names the deepest element wider than the viewport, so a failure says what to fix.
    private const string WidestElementScript = """
        () => {
          const limit = window.innerWidth;
          const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > limit + 1);
          const leaf = wide.find(e => ![...e.children].some(c => wide.includes(c))) ?? wide[0];
          if (!leaf) return 'none found';
          const r = leaf.getBoundingClientRect();
          return `${leaf.tagName.toLowerCase()}${leaf.id ? '#' + leaf.id : ''}${leaf.className ? '.' + String(leaf.className).split(' ').join('.') : ''} right=${Math.round(r.right)}`;
        }
        """;

    private static string ScreenshotPath(string who, string path, int width)
    {
        var name = Unsafe().Replace($"{who}-{path.Trim('/')}", "-").Trim('-');
        if (name.Length > 80)
            name = name[..80];
        return Path.Combine(ResultsDirectory(), "screenshots", $"{name}-{width}.png");
    }

    /// <summary>TEST_RESULTS_DIR when scripts/test.sh or CI sets it, else the repository's TestResults folder.</summary>
    private static string ResultsDirectory()
    {
        if (Environment.GetEnvironmentVariable("TEST_RESULTS_DIR") is { Length: > 0 } configured)
            return configured;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Marketplace.sln")))
            directory = directory.Parent;
        return Path.Combine(directory?.FullName ?? Path.GetTempPath(), "TestResults");
    }

    /// <summary>Lists a service on /Seller and returns its product page's path.</summary>
    private static async Task<string> ListServiceAsync(IPage sellerPage, string title, string price)
    {
        await sellerPage.GotoAsync("/Seller");
        var form = sellerPage.GetByRole(AriaRole.Region, new() { Name = "List a product" });
        await form.GetByLabel("Title").FillAsync(title);
        await form.GetByLabel("Description").FillAsync("Three drafts, delivered as a call.");
        await form.GetByLabel("Price").FillAsync(price);
        await form.GetByRole(AriaRole.Group, new() { Name = "Kind" }).GetByRole(AriaRole.Radio, new() { Name = "Service" }).CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "List product" }).ClickAsync();
        var link = sellerPage.GetByRole(AriaRole.Table, new() { Name = "My products" }).GetByRole(AriaRole.Link, new() { Name = title });
        await Expect(link).ToBeVisibleAsync();
        return await link.GetAttributeAsync("href") ?? throw new InvalidOperationException("The listed product has no link.");
    }

    /// <summary>Lists a digital product with a file and a licence on /Seller and returns its product page's path.</summary>
    private static async Task<string> ListDigitalAsync(IPage sellerPage, string title, string price)
    {
        await sellerPage.GotoAsync("/Seller");
        var form = sellerPage.GetByRole(AriaRole.Region, new() { Name = "List a product" });
        await form.GetByLabel("Title").FillAsync(title);
        await form.GetByLabel("Description").FillAsync("Every bird in the park.");
        await form.GetByLabel("Price").FillAsync(price);
        await form.GetByRole(AriaRole.Group, new() { Name = "Kind" }).GetByRole(AriaRole.Radio, new() { Name = "Digital" }).CheckAsync();
        await form.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "field-guide.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.7\nA field guide.\n%%EOF\n") });
        await form.GetByLabel("Licence text").FillAsync("For one household.");
        await form.GetByRole(AriaRole.Button, new() { Name = "List product" }).ClickAsync();
        var link = sellerPage.GetByRole(AriaRole.Table, new() { Name = "My products" }).GetByRole(AriaRole.Link, new() { Name = title });
        await Expect(link).ToBeVisibleAsync();
        return await link.GetAttributeAsync("href") ?? throw new InvalidOperationException("The listed product has no link.");
    }

    private static Guid ProductId(string productPath) => Guid.Parse(productPath[(productPath.LastIndexOf('/') + 1)..]);

    [GeneratedRegex(@"[^A-Za-z0-9]+")]
    private static partial Regex Unsafe();

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();

    [GeneratedRegex(@"/payments/bank/[0-9a-f-]{36}$")]
    private static partial Regex BankPageUrl();
}
