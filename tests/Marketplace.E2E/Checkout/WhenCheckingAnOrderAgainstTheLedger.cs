using System.Text.RegularExpressions;
using Marketplace.Core.Ledger;
using Marketplace.E2E.Wallet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.E2E.Checkout;

/// <summary>The order page proves, in the browser with WebCrypto, that the order's transaction is in the ledger's latest signed checkpoint once one holds it.</summary>
[Collection("app")]
public sealed partial class WhenCheckingAnOrderAgainstTheLedger(AppServer app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly Guid IconPack = new("9d0d0c7a-0000-4000-8000-000000000001");

    [Fact]
    public async Task The_purchase_is_shown_included_in_a_checkpoint_and_a_proof_for_other_bytes_is_not()
    {
        var shopper = new Shopper(Page);
        await shopper.RegisterAsync();
        await shopper.BuyAsync(IconPack);
        await Page.WaitForURLAsync(OrderUrl());

        var ledger = Page.GetByRole(AriaRole.Region, new() { Name = "In the public ledger" });
        // Newer than the latest checkpoint; viewing the page signs none.
        await Expect(ledger.GetByRole(AriaRole.Status)).ToHaveTextAsync("Pending the next checkpoint");
        await SignCheckpointAsync();
        await Page.ReloadAsync();
        await Expect(ledger.GetByRole(AriaRole.Status)).ToHaveTextAsync(IncludedInACheckpoint());
        await Expect(ledger).ToContainTextAsync(new Regex(@"Transaction \d+ is leaf \d+ of the ledger's Merkle tree"));

        // The same check over the page's proof with the transaction's bytes changed (kind 10, purchase, read as 11) must fail.
        var verdicts = await Page.EvaluateAsync<bool[]>(@"async () => {
            // The page's own bundle, by the URL the page loaded it from, so it is the same module instance.
            const { verifyLedgerInclusion } = await import(document.querySelector('script[src*=""/js/order.""]').src);
            const data = document.querySelector('[data-ledger-proof]').dataset;
            const proof = { transactionId: data.transactionId, canonical: data.canonical, leafIndex: data.leafIndex,
                            path: data.inclusionPath, checkpoint: data.checkpoint, signature: data.checkpointSignature };
            const edited = { ...proof, canonical: proof.canonical.replace(`|${proof.transactionId}|10|`, `|${proof.transactionId}|11|`) };
            return [await verifyLedgerInclusion(proof) !== null, edited.canonical !== proof.canonical, await verifyLedgerInclusion(edited) === null];
        }");
        Assert.Equal([true, true, true], verdicts);
    }

    /// <summary>What the checkpoint job does on its schedule.</summary>
    private async Task SignCheckpointAsync()
    {
        using var scope = App.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>().SignAsync();
        Assert.IsNotType<CheckpointResult.Refused>(result);
    }

    [GeneratedRegex(@"^Included in checkpoint \d+$")]
    private static partial Regex IncludedInACheckpoint();

    [GeneratedRegex(@"/Orders/[0-9a-f-]{36}$")]
    private static partial Regex OrderUrl();
}
