using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Admin;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Tests.Hosting;

public sealed class WhenProbingHealth(ReconciliationApp app) : IClassFixture<ReconciliationApp>
{
    [Fact]
    public async Task Healthz_answers_200_to_anyone_while_the_process_is_up()
    {
        using var client = app.CreateBrowserClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_reports_each_check_as_json_and_is_ready_on_a_fresh_install()
    {
        var (status, body) = await app.ReadyAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(["database", "migrations", "reconciliation"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Readyz_answers_503_naming_migrations_while_one_is_not_applied()
    {
        var removed = await app.QueryAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).Last());
        Assert.Equal(1, await app.TamperAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = $id", ("$id", removed)));
        try
        {
            using var client = app.CreateBrowserClient();
            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
            var failing = Assert.Single(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("status").GetString() != "Healthy");
            Assert.Equal("migrations", failing.GetProperty("name").GetString());
            Assert.Contains(removed, failing.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await app.TamperAsync("INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ($id, '10.0.14')", ("$id", removed));
        }
    }
}
