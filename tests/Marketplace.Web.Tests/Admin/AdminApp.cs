using System.Net;
using Marketplace.Core.Admin;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

/// <summary>The app with one admin account (admin@example.test), registered on first use and signed in again for each new client.</summary>
public sealed class AdminApp : MarketplaceApp
{
    public const string AdminEmail = "admin@example.test";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private TestUser? _admin;

    public async Task<ApiClient> AdminAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_admin is null)
            {
                var first = await ApiClient.RegisteredAsync(this, AdminEmail);
                _admin = first.User;
                return first;
            }
        }
        finally
        {
            _gate.Release();
        }

        var client = ApiClient.For(this);
        using var login = await client.LoginAsync(_admin);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _gate.Dispose();
    }
}
