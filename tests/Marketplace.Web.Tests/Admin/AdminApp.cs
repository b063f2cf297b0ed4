using System.Net;
using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

/// <summary>The app with helpers for admin tests: reconcile as the admin and read the audit log.</summary>
public sealed class AdminApp : MarketplaceApp
{
    /// <summary>POST /api/admin/reconciliation/run; the run as JSON.</summary>
    public async Task<System.Text.Json.JsonElement> ReconcileAsync()
    {
        using var admin = await AdminAsync();
        using var response = await admin.PostAsync("/api/admin/reconciliation/run", content: null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Reconciliation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(await response.Content.ReadAsStringAsync());
    }

    public async Task<List<AuditEntry>> AuditAsync(string subject)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Id).ToListAsync();
    }
}
