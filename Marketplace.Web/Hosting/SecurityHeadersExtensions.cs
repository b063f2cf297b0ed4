using Marketplace.Core.Payments;
using Microsoft.AspNetCore.Http.Features;

namespace Marketplace.Web.Hosting;

public static class SecurityHeadersExtensions
{
    /// <summary>
    /// Scripts and styles only from our own origin (every asset is served by the app, every script is a
    /// module file); no framing; forms post only to us (and redirect only to the configured gateways' hosted
    /// checkouts, see <see cref="PolicyFor"/>). htmx 4 adds its indicator CSS as a constructed
    /// stylesheet (document.adoptedStyleSheets), which CSP does not govern, so style-src needs no
    /// 'unsafe-inline' either. Pages must not use inline scripts, event-handler or style attributes.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>
    /// Hangfire's dashboard (<see cref="Jobs.JobsDashboard.Path"/>) renders state labels and cards with <c>style=""</c>
    /// attributes, which it does not let us change; that path alone allows inline style attributes
    /// (<c>style-src-attr</c>). Inline <c>&lt;style&gt;</c> elements and every script stay refused.
    /// </summary>
    public const string JobsDashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The policy with form-action widened to the hosted checkouts the Buy credits form redirects to.</summary>
    public static string PolicyFor(IEnumerable<HostedCheckoutOrigin> hostedCheckouts)
    {
        var sources = hostedCheckouts.Select(o => o.Source).Distinct(StringComparer.Ordinal).ToList();
        return sources.Count == 0 ? ContentSecurityPolicy : ContentSecurityPolicy + " " + string.Join(' ', sources);
    }

    /// <summary>The largest request body Kestrel accepts anywhere; JSON endpoints have their own, smaller limit (ApiBody).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Request size limits for Kestrel and form parsing, and HSTS settings for production.</summary>
    public static WebApplicationBuilder AddMarketplaceLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            o.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Services.Configure<FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = MaxRequestBodyBytes;
            o.ValueLengthLimit = 64 * 1024;
            o.ValueCountLimit = 200;
            o.KeyLengthLimit = 256;
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        return builder;
    }

    /// <summary>Security headers on every response (pages, API, static files, error pages); HSTS outside Development.</summary>
    public static WebApplication UseMarketplaceSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        string policy;
        using (var scope = app.Services.CreateScope())
        {
            // Each configured gateway names its hosted checkout's origin (null when its checkout is a page of ours).
            policy = PolicyFor(scope.ServiceProvider.GetServices<IPaymentGateway>().Select(g => g.CheckoutOrigin).OfType<HostedCheckoutOrigin>());
        }

        app.Use((context, next) =>
        {
            // Decided here: inside the dashboard's branch, PathBase has taken its prefix off Path.
            var pagePolicy = context.Request.Path.StartsWithSegments(Jobs.JobsDashboard.Path) ? JobsDashboardPolicy : policy;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = pagePolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Outside Development every cookie is Secure, so the site works only over HTTPS (directly, or behind a proxy that
    /// terminates TLS and sends X-Forwarded-Proto, honoured from the addresses in FORWARDED_PROXIES). A plain-HTTP
    /// request gets a clear 400 instead of failing inside antiforgery; health probes and static files still answer.
    /// </summary>
    public static WebApplication UseMarketplaceHttpsOnly(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Environment.IsDevelopment())
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
            {
                await next(context);
                return;
            }

            const string detail = "This site answers only over HTTPS. Behind a TLS-terminating proxy, send X-Forwarded-Proto and list the proxy's address in FORWARDED_PROXIES.";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await Api.ApiProblems.Write(context, StatusCodes.Status400BadRequest, "https_required", "HTTPS required", detail, context.RequestAborted);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(detail, context.RequestAborted);
        });
        return app;
    }
}
