using Marketplace.Core.Catalog;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Hosting;

/// <summary>
/// Marks an endpoint (a minimal API route, or a page model class) that takes a seller's delivery file: its request may be
/// as large as <see cref="DeliveryOptions.MaxUploadRequestBytes"/> instead of the site-wide
/// <see cref="SecurityHeadersExtensions.MaxRequestBodyBytes"/>. Nothing else is raised: fields keep their small limits.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AcceptsDeliveryUploadAttribute : Attribute;

public static class UploadLimits
{
    /// <summary>
    /// After routing, before anything reads the body (the antiforgery check reads a form): the upload endpoints get the
    /// configured limit, for Kestrel and for the form reader, so the limit comes from settings rather than an attribute constant.
    /// </summary>
    public static WebApplication UseMarketplaceUploadLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<AcceptsDeliveryUploadAttribute>() is not null)
            {
                var limit = context.RequestServices.GetRequiredService<DeliveryOptions>().MaxUploadRequestBytes;
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                {
                    size.MaxRequestBodySize = limit;
                }

                var form = context.RequestServices.GetRequiredService<IOptions<FormOptions>>().Value;
                context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions
                {
                    MultipartBodyLengthLimit = limit,
                    ValueLengthLimit = form.ValueLengthLimit,
                    ValueCountLimit = form.ValueCountLimit,
                    KeyLengthLimit = form.KeyLengthLimit,
                    MultipartHeadersLengthLimit = form.MultipartHeadersLengthLimit,
                    MultipartHeadersCountLimit = form.MultipartHeadersCountLimit,
                    MultipartBoundaryLengthLimit = form.MultipartBoundaryLengthLimit,
                    MemoryBufferThreshold = form.MemoryBufferThreshold,
                }));
            }

            await next(context);
        });
        return app;
    }
}
