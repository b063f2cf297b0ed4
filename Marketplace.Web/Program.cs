using Marketplace.Core;
using Marketplace.Web.Api;
using Marketplace.Web.Auth;
using Marketplace.Web.Hosting;
using Marketplace.Web.Htmx;
using Marketplace.Web.Jobs;
using Microsoft.AspNetCore.Mvc.ModelBinding;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

if (AdminCommand.IsRequested(args))
{
    return await AdminCommand.RunAsync(args);
}

if (DatabaseCommand.IsRequested(args))
{
    return await DatabaseCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddMarketplaceLogging();
builder.AddMarketplaceLimits();
builder.AddMarketplaceProxies();
builder.AddMarketplaceGracefulShutdown();
builder.Services.AddMarketplaceCore(builder.Configuration, builder.Environment);
builder.AddMarketplaceAuth();
builder.Services.AddMarketplaceApi();
builder.AddMarketplaceJobs();
builder.Services.AddMarketplaceHealth();
builder.Services.AddCatalogOutputCache();
builder.Services.AddRazorPages(o => o.Conventions
    .ConfigureFilter(new HtmxPageFilter())
    .AuthorizeFolder("/Wallet")
    .AuthorizeFolder("/Payments")
    .AuthorizeFolder("/Checkout")
    .AuthorizeFolder("/Orders")
    .AuthorizeFolder("/Seller")
    .AuthorizeFolder("/Admin", ClaimsPrincipalExtensions.AdminRole))
    // Our forms have plain field names; jQuery's a[b] keys would only let a stray bracket throw in model binding.
    .AddMvcOptions(o =>
    {
        o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
    });

var app = builder.Build();

await app.InitializeDatabaseAsync();

app.UseMarketplaceProxies();
app.UseMarketplaceRequestLog();
app.UseMarketplaceSecurityHeaders();
app.UseMarketplaceErrors();
app.UseMarketplaceHttpsOnly();
app.UseRouting();
app.UseMarketplaceUploadLimits();
app.UseMarketplaceAuth();
app.UseCatalogOutputCache();
app.MapMarketplaceHealth();
app.MapMarketplaceApi();
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapMarketplaceJobsDashboard();

await app.RunAsync();
return 0;

public partial class Program;
