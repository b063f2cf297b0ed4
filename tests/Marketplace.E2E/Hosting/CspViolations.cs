using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Marketplace.E2E.Hosting;

/// <summary>Collects every Content-Security-Policy violation a page reports: the securitypolicyviolation event, console messages and page errors.</summary>
public sealed class CspViolations
{
    private readonly ConcurrentQueue<string> _seen = new();

    public IReadOnlyCollection<string> Seen => _seen;

    public bool IsEmpty => _seen.IsEmpty;

    public static async Task<CspViolations> WatchAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var violations = new CspViolations();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                violations._seen.Enqueue("console: " + message.Text);
        };
        page.PageError += (_, error) => violations._seen.Enqueue("page error: " + error);
        await page.ExposeFunctionAsync("reportCspViolation", (string text) => violations._seen.Enqueue("event: " + text));
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        return violations;
    }

    /// <summary>Lets a report fired by the last page reach us before judging: one more round trip to the page.</summary>
    public static Task SettleAsync(IPage page) =>
        page.EvaluateAsync("() => new Promise(resolve => requestAnimationFrame(() => resolve(true)))");
}
