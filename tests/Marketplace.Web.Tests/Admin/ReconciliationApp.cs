using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Core.Persistence;
using Marketplace.Web.Tests.Api;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Admin;

/// <summary>The app with ways to reconcile as the admin, probe readiness and tamper with the SQLite file.</summary>
public sealed class ReconciliationApp : MarketplaceApp
{
    /// <summary>POST /api/admin/reconciliation/run as the admin; the run as JSON.</summary>
    public async Task<JsonElement> ReconcileAsync()
    {
        using var admin = await AdminAsync();
        using var response = await admin.PostAsync("/api/admin/reconciliation/run", content: null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Reconciliation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync()
    {
        using var client = CreateBrowserClient();
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>
    /// Runs SQL straight against the database, behind the application's back; returns the rows changed. Parameters are
    /// written <c>$name</c> as SQLite spells them; on PostgreSQL they become <c>@name</c>, and a GUID given as text (as
    /// SQLite stores it) is passed as a uuid.
    /// </summary>
    public async Task<int> TamperAsync(string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        if (Marketplace.Tests.Support.TestProvider.IsPostgres)
        {
            await using var postgres = new Npgsql.NpgsqlConnection(ConnectionString(DataDirectory));
            await postgres.OpenAsync();
            await using var command = postgres.CreateCommand();
            command.CommandText = sql.Replace('$', '@');
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name.TrimStart('$'), value is string text && Guid.TryParse(text, out var guid) ? guid : value);
            }

            return await command.ExecuteNonQueryAsync();
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var sqlite = connection.CreateCommand();
        sqlite.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            sqlite.Parameters.AddWithValue(name, value);
        }

        return await sqlite.ExecuteNonQueryAsync();
    }

    public async Task<T> QueryAsync<T>(Func<MarketplaceDb, Task<T>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<MarketplaceDb>());
    }
}
