using Marketplace.Core;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Marketplace.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Hosting;

/// <summary>
/// <c>dotnet Marketplace.Web.dll db copy-to-postgres "&lt;connection string&gt;"</c> (or <c>dotnet run --project
/// Marketplace.Web -- db …</c>): moves a SQLite shop to PostgreSQL. With the app stopped, it reconciles the configured
/// SQLite database (it must be clean), applies the migrations to the PostgreSQL database (which must be empty), copies
/// every table (<see cref="DatabaseCopy"/>), reconciles the copy and compares: rows per table, the reconciliation
/// counts, the hash chain's head, the Merkle root and every account's balance. It reads the app's own configuration,
/// so the data-protection certificate settings must be the ones the PostgreSQL instances will use. Exit codes: 0 copied
/// and equal, 1 refused or different, 2 usage, 3 the SQLite database is not ready, 4 the configuration is invalid.
/// </summary>
public static class DatabaseCommand
{
    public const string Name = "db";

    public const string Usage = """
        Usage:
          db copy-to-postgres "<connection string>"   copy the configured SQLite database into an empty PostgreSQL one and verify it
        """;

    public static bool IsRequested(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        if (args is not [Name, "copy-to-postgres", var connection, .. var rest] || connection.StartsWith('-') || string.IsNullOrWhiteSpace(connection))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        WebApplication source, target;
        try
        {
            source = Build(rest, overrides: null);
            target = Build(rest, new Dictionary<string, string?> { ["Database:Provider"] = nameof(DatabaseKind.Postgres), ["ConnectionStrings:Marketplace"] = connection });
        }
        catch (OptionsValidationException invalid)
        {
            await error.WriteLineAsync($"{invalid.Message} Nothing was copied.");
            return 4;
        }

        await using (source)
        await using (target)
        {
            try
            {
                source.Services.GetRequiredService<IStartupValidator>().Validate();
                target.Services.GetRequiredService<IStartupValidator>().Validate();
            }
            catch (Exception invalid) when (invalid is OptionsValidationException or AggregateException)
            {
                await error.WriteLineAsync($"{invalid.Message} Nothing was copied.");
                return 4;
            }

            if (source.Services.GetRequiredService<DatabaseSettings>().Kind != DatabaseKind.Sqlite)
            {
                await error.WriteLineAsync("The configured database is not SQLite: this command copies a SQLite shop (ConnectionStrings__Marketplace) into PostgreSQL.");
                return 2;
            }

            return await CopyAsync(source.Services, target.Services, output, error);
        }
    }

    private static WebApplication Build(string[] args, Dictionary<string, string?>? overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        // EF Core and hosting would otherwise log into what the operator reads.
        builder.Logging.ClearProviders();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddMarketplaceCore(builder.Configuration, builder.Environment);
        // The receipt key is read through the data-protection keys, on both sides.
        builder.AddMarketplaceDataProtection();
        return builder.Build();
    }

    private static async Task<int> CopyAsync(IServiceProvider sourceServices, IServiceProvider targetServices, TextWriter output, TextWriter error)
    {
        await using var sourceScope = sourceServices.CreateAsyncScope();
        var from = sourceScope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        if ((await from.Database.GetPendingMigrationsAsync()).Any())
        {
            await error.WriteLineAsync("The SQLite database is not set up for this version yet: start the app once (it applies its migrations), stop it, then run this command again.");
            return 3;
        }

        var sourceRun = await sourceScope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
        if (sourceRun.Status != ReconciliationStatus.Clean)
        {
            await error.WriteLineAsync($"Reconciliation run {sourceRun.Id} of the SQLite database found {sourceRun.DiscrepancyCount} discrepancies (Admin → Reconciliation): resolve them first. Nothing was copied.");
            return 1;
        }

        await output.WriteLineAsync($"SQLite database reconciled clean (run {sourceRun.Id}); copying…");
        await using var targetScope = targetServices.CreateAsyncScope();
        var to = targetScope.ServiceProvider.GetRequiredService<MarketplaceDb>();
        var (copied, notEmpty) = await DatabaseCopy.CopyAsync(from, to);
        if (copied is null)
        {
            await error.WriteLineAsync($"The PostgreSQL database is not empty (table {notEmpty} has rows): give an empty database. Nothing was copied.");
            return 1;
        }

        foreach (var (table, rows) in copied.Rows)
        {
            await output.WriteLineAsync($"  {table}: {rows}");
        }

        var differences = new List<string>();
        var sourceRows = await DatabaseCopy.CountRowsAsync(from);
        var targetRows = await DatabaseCopy.CountRowsAsync(to);
        differences.AddRange(sourceRows.Rows.Where(r => targetRows.Rows[r.Key] != r.Value).Select(r => $"{r.Key}: {r.Value} rows in SQLite, {targetRows.Rows[r.Key]} in PostgreSQL"));

        var targetRun = await targetScope.ServiceProvider.GetRequiredService<ReconciliationService>().RunAsync();
        if (targetRun.Status != ReconciliationStatus.Clean)
        {
            differences.Add($"reconciliation run {targetRun.Id} of the copy found {targetRun.DiscrepancyCount} discrepancies");
        }

        var expected = await DatabaseCopy.FingerprintAsync(from, sourceRun);
        var actual = await DatabaseCopy.FingerprintAsync(to, targetRun);
        Compare("reconciliation counts", expected.Counts, actual.Counts);
        Compare("hash chain head", expected.ChainHead, actual.ChainHead);
        Compare("Merkle root", expected.MerkleRoot, actual.MerkleRoot);
        Compare("account balances", string.Join('\n', expected.Balances), string.Join('\n', actual.Balances));
        if (differences.Count > 0)
        {
            await error.WriteLineAsync("The copy differs from the SQLite database; do not switch to it:\n  " + string.Join("\n  ", differences));
            return 1;
        }

        await output.WriteLineAsync(
            $"Copied and verified: {expected.Counts.Transactions} transactions, {expected.Counts.Entries} entries, {expected.Counts.Accounts} accounts with equal balances; "
            + $"chain head {expected.ChainHead}, Merkle root {(expected.MerkleRoot.Length == 0 ? "(empty)" : expected.MerkleRoot)}; the copy reconciles clean (run {targetRun.Id}). "
            + "Point every instance at PostgreSQL (README, Scale out).");
        return 0;

        void Compare<T>(string what, T sqlite, T postgres)
        {
            if (!EqualityComparer<T>.Default.Equals(sqlite, postgres))
            {
                differences.Add($"{what}: {sqlite} in SQLite, {postgres} in PostgreSQL");
            }
        }
    }
}
