using System.Collections.Concurrent;
using System.Reflection;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Htmx;

/// <summary>
/// Marks a page handler that answers htmx only, with a partial. A browser that asks for it directly (a bookmark,
/// scripting off) is redirected to the full page, <see cref="FullPage"/> or else the handler's own page, with the
/// same route and query values but no handler.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HtmxPartialAttribute : Attribute
{
    /// <summary>The page a browser is sent to instead, e.g. <c>/Wallet/Index</c>; the handler's own page when null.</summary>
    public string? FullPage { get; init; }
}

/// <summary>
/// The htmx preamble of every page handler in one place: any page may answer htmx and full-page requests differently,
/// so every page response says <c>Vary: HX-Request</c> to caches, and handlers marked
/// <see cref="HtmxPartialAttribute"/> send non-htmx requests to their full page.
/// </summary>
public sealed class HtmxPageFilter : IPageFilter
{
    private const string HandlerKey = "handler";

    // Each handler's attribute, looked up once: reflecting on every request was 2 % of the wallet page (issue 16).
    private static readonly ConcurrentDictionary<MethodInfo, HtmxPartialAttribute?> Partials = new();

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        http.Response.Htmx(h => h.WithVary());
        if (http.Request.IsHtmx() || context.HandlerMethod?.MethodInfo is not { } method
            || Partials.GetOrAdd(method, static m => m.GetCustomAttribute<HtmxPartialAttribute>()) is not { } partial)
        {
            return;
        }

        var values = new RouteValueDictionary();
        foreach (var (key, value) in context.RouteData.Values)
        {
            if (key is not ("page" or HandlerKey))
            {
                values[key] = value;
            }
        }

        foreach (var (key, value) in http.Request.Query)
        {
            if (!string.Equals(key, HandlerKey, StringComparison.OrdinalIgnoreCase))
            {
                values[key] = value.Count == 1 ? value[0] : value.ToArray();
            }
        }

        context.Result = new RedirectToPageResult(partial.FullPage ?? context.ActionDescriptor.ViewEnginePath, values);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
