using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Wallet;

/// <summary>Issue 14, defect 8: Buy credits and checkout done with Tab, Space and Enter only, with a focus ring that can be seen.</summary>
[Collection("app")]
public sealed partial class WhenUsingOnlyTheKeyboard(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly Guid IconPack = new("9d0d0c7a-0000-4000-8000-000000000001");

    [Fact]
    public async Task Buy_credits_and_checkout_work_with_tab_space_and_enter_and_focus_is_visible_at_3_to_1()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        var buyCredits = Page.GetByRole(AriaRole.Button, new() { Name = "Buy credits" });
        await TabUntilFocusedAsync(buyCredits);
        Assert.True(await FocusRingContrastAsync() >= 3.0, "The focus ring on Buy credits is below 3:1 against the page.");
        await Page.Keyboard.PressAsync("Space");
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" });
        await Expect(dialog).ToBeVisibleAsync();
        await TabUntilFocusedAsync(dialog.GetByLabel("Amount"));
        await Page.Keyboard.TypeAsync("25.00");
        await TabUntilFocusedAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Continue to payment" }));
        await Page.Keyboard.PressAsync("Enter");

        await Page.WaitForURLAsync(DemoCheckoutUrl());
        await TabUntilFocusedAsync(Page.GetByLabel("Card number"));
        await Page.Keyboard.TypeAsync(Shopper.PayingCard);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(shopper.PaymentStatus).ToHaveTextAsync("Succeeded");

        await Page.GotoAsync($"/products/{IconPack}");
        var buyNow = Page.GetByRole(AriaRole.Button, new() { Name = "Buy now" });
        await TabUntilFocusedAsync(buyNow);
        Assert.True(await FocusRingContrastAsync() >= 3.0, "The focus ring on Buy now is below 3:1 against the page.");
        await Page.Keyboard.PressAsync("Space");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Checkout" })).ToBeVisibleAsync();
        await TabUntilFocusedAsync(Page.GetByLabel("Passphrase"));
        await Page.Keyboard.TypeAsync(shopper.Passphrase);
        await Page.Keyboard.PressAsync("Enter");

        await Page.WaitForURLAsync(OrderUrl());
        await Expect(shopper.HeaderBalance).ToHaveTextAsync("Balance: 1,012.50 MC");
    }

    [Fact]
    public async Task A_rejected_amount_puts_focus_on_the_error_summary_in_the_dialog()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();

        await shopper.StartTopUpAsync("lots", "USD", "Demo");

        var summary = Page.GetByRole(AriaRole.Dialog, new() { Name = "Buy credits" }).Locator("[data-error-summary]");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary).ToContainTextAsync("Amount must be a decimal number");
    }

    /// <summary>Presses Tab (at most 60 times) until <paramref name="target"/> has focus: the way a keyboard user gets there.</summary>
    private async Task TabUntilFocusedAsync(ILocator target)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
                return;
            await Page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {target}.");
    }

    /// <summary>The contrast ratio of the focused element's outline against what is behind it: the nearest ancestor with a background (WCAG relative luminance).</summary>
    private Task<double> FocusRingContrastAsync() => Page.EvaluateAsync<double>("""
        () => {
          const style = getComputedStyle(document.activeElement);
          if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
          const rgb = value => value.match(/[\d.]+/g).slice(0, 3).map(Number);
          const luminance = ([r, g, b]) => {
            const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
          };
          const ring = luminance(rgb(style.outlineColor));
          let behind = document.activeElement.parentElement;
          const opaque = element => { const c = getComputedStyle(element).backgroundColor; return c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c); };
          while (behind && !opaque(behind)) behind = behind.parentElement;
          const page = luminance(behind ? rgb(getComputedStyle(behind).backgroundColor) : [255, 255, 255]);
          return (Math.max(ring, page) + 0.05) / (Math.min(ring, page) + 0.05);
        }
        """);

    [GeneratedRegex(@"/payments/demo/[0-9a-f-]{36}$")]
    private static partial Regex DemoCheckoutUrl();

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();
}
