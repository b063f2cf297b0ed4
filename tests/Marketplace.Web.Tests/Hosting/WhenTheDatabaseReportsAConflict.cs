using System.Data.Common;
using System.Net;
using System.Text.Json;
using Marketplace.Core.Persistence;
using Marketplace.Tests.Support;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Delivery;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests.Hosting;

/// <summary>
/// PostgreSQL fails one of two conflicting transactions (a serialisation failure, 40001, or a deadlock, 40P01) and
/// writes nothing of it. The request is run again, up to five times; one that never gets through is a 503 with
/// Retry-After, never a 500, and changes nothing. The conflicts are made by failing the listing's INSERT the way the
/// server does, as many times as a test asks.
/// </summary>
[Trait(TestProvider.Trait, TestProvider.PostgresOnly)]
public sealed class WhenTheDatabaseReportsAConflict(ConflictingApp app) : IClassFixture<ConflictingApp>
{
    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    public async Task A_request_that_lost_a_conflict_runs_again_and_its_work_is_done_once(string sqlState)
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var title = $"Conflicted {Guid.NewGuid():N}";
        app.Conflicts.FailNext(title, sqlState, times: 2);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing(title, kind: "service", licence: null));
        using var response = await seller.PostAsync("/api/seller/products", content);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, app.Conflicts.Remaining);
        Assert.Equal(1, await CountListedAsync(title));
    }

    [Fact]
    public async Task A_request_that_loses_every_attempt_is_a_503_to_send_again_and_changes_nothing()
    {
        using var seller = await ApiClient.RegisteredAsync(app);
        var title = $"Always conflicted {Guid.NewGuid():N}";
        app.Conflicts.FailNext(title, PostgresErrorCodes.SerializationFailure, times: 100);

        using var content = DeliveryTesting.Form(DeliveryTesting.Listing(title, kind: "service", licence: null));
        using var response = await seller.PostAsync("/api/seller/products", content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "database_busy");
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Contains("Nothing was changed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(100 - Core.Persistence.DatabaseProvider.ConflictAttempts, app.Conflicts.Remaining);
        Assert.Equal(0, await CountListedAsync(title));
        app.Conflicts.FailNext(title, PostgresErrorCodes.SerializationFailure, times: 0);
    }

    private async Task<int> CountListedAsync(string title)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().Products.CountAsync(p => p.Name == title);
    }
}

/// <summary>The usual test app, with every context of the request path failing the commands <see cref="Conflicts"/> names.</summary>
public sealed class ConflictingApp : MarketplaceApp
{
    public ConflictInjector Conflicts { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureDbContext<MarketplaceDb>(o => o.AddInterceptors(Conflicts)));
    }
}

/// <summary>Fails the next commands that carry a marker (a parameter value) with a PostgreSQL conflict error, before they run.</summary>
public sealed class ConflictInjector : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private string? _marker;
    private string _sqlState = PostgresErrorCodes.SerializationFailure;
    private int _remaining;

    public int Remaining
    {
        get
        {
            lock (_gate)
            {
                return _remaining;
            }
        }
    }

    public void FailNext(string marker, string sqlState, int times)
    {
        lock (_gate)
        {
            (_marker, _sqlState, _remaining) = (marker, sqlState, times);
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        FailIfMarked(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FailIfMarked(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void FailIfMarked(DbCommand command)
    {
        string sqlState;
        lock (_gate)
        {
            if (_remaining == 0 || _marker is null || !command.CommandText.Contains("INSERT", StringComparison.OrdinalIgnoreCase)
                || !command.Parameters.Cast<DbParameter>().Any(p => p.Value is string value && value == _marker))
            {
                return;
            }

            _remaining--;
            sqlState = _sqlState;
        }

        throw new PostgresException("conflict injected by the test", "ERROR", "ERROR", sqlState);
    }
}
