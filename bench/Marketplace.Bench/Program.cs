using System.Diagnostics;
using System.Globalization;
using Marketplace.Bench;
using Marketplace.Core.Admin;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run -c Release --project bench/Marketplace.Bench -- reconcile 1000000 [--keep]
// dotnet run -c Release --project bench/Marketplace.Bench -- post 5000 [--workers 4] [--direct]
// dotnet run -c Release --project bench/Marketplace.Bench -- verify 20000
// dotnet run -c Release --project bench/Marketplace.Bench -- load http://127.0.0.1:5000 [--clients 64] [--seconds 10] [--product <id>]
// dotnet run -c Release --project bench/Marketplace.Bench -- signin http://127.0.0.1:5000 [--purchases 3] [--product <id>]   (prints a Cookie header)
// dotnet run -c Release --project bench/Marketplace.Bench -- grow 1000000 --database /tmp/grown/marketplace.db
var command = args.Length > 0 ? args[0] : "reconcile";
var size = args.Length > 1 && long.TryParse(args[1], CultureInfo.InvariantCulture, out var parsed) ? parsed : command == "post" ? 5_000 : 1_000_000;
var keep = args.Contains("--keep");
var workersAt = Array.IndexOf(args, "--workers");
var workers = workersAt >= 0 && workersAt + 1 < args.Length ? int.Parse(args[workersAt + 1], CultureInfo.InvariantCulture) : 1;
// --direct: every posting its own transaction, as before the group-commit writer (for comparison).
var direct = args.Contains("--direct");

if (command == "load")
{
    return await LoadAsync(args);
}

if (command == "signin")
{
    return await SignInAsync(args);
}

if (command == "verify")
{
    return Verify(args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var count) ? count : 20_000);
}

// grow writes into the database file it is given (its folder holds the key files, as the app's data directory would)
// and keeps it, so an app started on that file afterwards serves a ledger of that size.
var databaseAt = Array.IndexOf(args, "--database");
var given = databaseAt >= 0 && databaseAt + 1 < args.Length ? Path.GetFullPath(args[databaseAt + 1]) : null;
var directory = given is null ? Path.Combine(Path.GetTempPath(), "marketplace-bench", Guid.NewGuid().ToString("N")) : Path.GetDirectoryName(given)!;
Directory.CreateDirectory(directory);
var file = given ?? Path.Combine(directory, "marketplace.db");
keep |= given is not null;
MarketplaceDb Open()
{
    var options = new DbContextOptionsBuilder<MarketplaceDb>();
    DatabaseProvider.Configure(options, new DatabaseSettings(DatabaseKind.Sqlite, $"Data Source={file}", directory));
    return new MarketplaceDb(options.Options);
}

LedgerCheckpoints Checkpoints(MarketplaceDb db) =>
    new(db, ReceiptSigner.LoadOrCreate(ReceiptSigner.DefaultKeyFile(directory)), TimeProvider.System, NullLogger<LedgerCheckpoints>.Instance);

try
{
    await using (var db = Open())
    {
        await new DatabaseInitializer(db, TimeProvider.System).InitializeAsync();
    }

    return command switch
    {
        "reconcile" => await ReconcileAsync(size),
        "post" => await PostAsync((int)size, workers),
        "grow" => await GrowAsync(size),
        _ => Usage(),
    };
}
finally
{
    SqliteConnection.ClearAllPools();
    if (keep)
    {
        Console.WriteLine($"database kept at {file}");
    }
    else
    {
        Directory.Delete(directory, recursive: true);
    }
}

async Task<int> GrowAsync(long entries)
{
    var build = Stopwatch.StartNew();
    await using var builder = await LedgerBuilder.OpenAsync(file);
    builder.Build(entries);
    await builder.CommitAsync();
    Console.WriteLine($"grew the ledger to {builder.Transactions:N0} transactions, {builder.Entries:N0} entries in {build.Elapsed.TotalSeconds:F1} s ({new FileInfo(file).Length / 1024 / 1024:N0} MB)");
    return 0;
}

async Task<int> ReconcileAsync(long entries)
{
    var build = Stopwatch.StartNew();
    await using (var builder = await LedgerBuilder.OpenAsync(file))
    {
        builder.Build(entries);
        await builder.CommitAsync();
        Console.WriteLine($"built {builder.Transactions:N0} transactions, {builder.Entries:N0} entries in {build.Elapsed.TotalSeconds:F1} s ({new FileInfo(file).Length / 1024 / 1024:N0} MB)");
    }

    await TimeEachCheckAsync();
    var exitCode = 0;
    foreach (var pass in new[] { "first run (cold)", "second run" })
    {
        await using var db = Open();
        var timer = Stopwatch.StartNew();
        var run = await new ReconciliationService(db, new AuditLog(db, TimeProvider.System), Checkpoints(db), TimeProvider.System, NullLogger<ReconciliationService>.Instance).RunAsync();
        timer.Stop();
        Console.WriteLine(
            $"{pass}: {timer.Elapsed.TotalSeconds:F2} s wall, {run.DurationMs:N0} ms recorded; checked {run.TransactionsChecked:N0} transactions, {run.EntriesChecked:N0} entries, "
            + $"{run.AccountsChecked:N0} accounts, {run.PaymentsChecked:N0} payments, {run.HoldsChecked:N0} holds, {run.OrdersChecked:N0} orders; {run.DiscrepancyCount} discrepancies");
        foreach (var d in run.Discrepancies.Take(5))
        {
            Console.WriteLine($"  {d.Check} {d.Subjects}: expected {d.Expected}, found {d.Found}. {d.Message}");
        }

        exitCode = run.DiscrepancyCount == 0 ? exitCode : 1;
    }

    return exitCode;
}

// The same checks one by one, to show where the time goes.
async Task TimeEachCheckAsync()
{
    await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
    await connection.OpenAsync();
    var found = new List<ReconciliationDiscrepancy>();
    var checks = new (string Name, Func<Task> Run)[]
    {
        ("transactions balance", () => ReconciliationChecks.TransactionsBalanceAsync(connection, null, found, default)),
        ("account balances", () => ReconciliationChecks.AccountBalancesAsync(connection, null, found, default)),
        ("balance after (window)", () => ReconciliationChecks.BalancesAfterAsync(connection, null, found, default)),
        ("no negative wallets", () => ReconciliationChecks.UserAccountsNotNegativeAsync(connection, null, found, default)),
        ("payments → top-ups", () => ReconciliationChecks.PaymentsHaveTopUpsAsync(connection, null, found, default)),
        ("top-ups → payments", () => ReconciliationChecks.TopUpsHavePaymentsAsync(connection, null, found, default)),
        ("payments → bonuses", () => ReconciliationChecks.PaymentsHaveBonusesAsync(connection, null, found, default)),
        ("bonuses → payments", () => ReconciliationChecks.BonusesHavePaymentsAsync(connection, null, found, default)),
        ("holds resolved once", () => ReconciliationChecks.HoldsResolvedOnceAsync(connection, null, found, default)),
        ("orders → purchases", () => ReconciliationChecks.OrdersHavePurchasesAsync(connection, null, found, default)),
        ("counts", () => ReconciliationChecks.CountAsync(connection, null, default)),
        ("hash chain", () => LedgerChain.VerifyAsync(connection, null, null, default)),
        ("chain + Merkle rebuild", () =>
        {
            // What reconciliation does in the same pass: every transaction's leaf appended to a tree in memory.
            var tree = MerkleRange.Empty();
            return LedgerChain.VerifyAsync(connection, null, canonical => tree.Append(LedgerTree.LeafHash(canonical)), default);
        }),
    };
    foreach (var (name, run) in checks)
    {
        var timer = Stopwatch.StartNew();
        await run();
        Console.WriteLine($"  {name,-24} {timer.Elapsed.TotalMilliseconds,8:N0} ms");
    }
}

async Task<int> PostAsync(int postings, int workerCount)
{
    const int Users = 100;
    var accounts = new List<long>();
    await using (var db = Open())
    {
        var ledger = new LedgerService(db, TimeProvider.System);
        var promotions = await ledger.AccountIdAsync(AccountCodes.Promotions);
        for (var i = 0; i < Users; i++)
        {
            var id = Guid.NewGuid();
            db.Users.Add(Marketplace.Core.Identity.User.Register(id, $"{id:N}@bench.example", "Bench", new byte[32], DateTime.UtcNow));
            ledger.OpenUserAccounts(id);
            await db.SaveChangesAsync();
            var available = (await ledger.UserAccountsAsync(id)).AvailableId;
            await ledger.PostAsync(new Posting($"grant:{id:N}", TransactionKind.WelcomeGrant, "Grant", [new(promotions, -1_000_000), new(available, 1_000_000)]));
            accounts.Add(available);
        }
    }

    await using var writer = direct ? null : new LedgerWriter(Open);
    var groupsBefore = writer?.GroupsCommitted ?? 0;
    var timer = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, workerCount).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < postings)
        {
            // One context per posting, as one request would have.
            await using var db = Open();
            var from = accounts[i % Users];
            var to = accounts[(i * 7 + 1) % Users];
            if (from == to)
            {
                to = accounts[(i + 1) % Users];
            }

            var result = await new LedgerService(db, TimeProvider.System, writer).PostAsync(new Posting($"bench:{i}", TransactionKind.Transfer, "Bench transfer", [new(from, -1), new(to, 1)]));
            if (result is not PostingResult.Posted)
            {
                throw new InvalidOperationException($"Posting {i} was not posted: {result}");
            }
        }
    })));
    timer.Stop();
    var groups = writer is null ? "each its own transaction" : $"{writer.GroupsCommitted - groupsBefore:N0} group commits";
    Console.WriteLine($"posted {postings:N0} transfers with {workerCount} worker(s) in {timer.Elapsed.TotalSeconds:F2} s: {postings / timer.Elapsed.TotalSeconds:N0} postings/s ({groups})");
    if (writer?.Timings is { } t)
    {
        Console.WriteLine(
            $"writer: {t.Units:N0} units in {t.Groups:N0} groups; running units {t.InUnits.TotalMilliseconds:N0} ms ({t.InUnits.TotalMicroseconds / Math.Max(1, t.Units):N0} µs each), "
            + $"linking chain and tree {t.Linking.TotalMilliseconds:N0} ms, commit (fsync) {t.Committing.TotalMilliseconds:N0} ms ({t.Committing.TotalMicroseconds / Math.Max(1, t.Groups):N0} µs each)");
    }

    await using var check = Open();
    var run = await new ReconciliationService(check, new AuditLog(check, TimeProvider.System), Checkpoints(check), TimeProvider.System, NullLogger<ReconciliationService>.Instance).RunAsync();
    Console.WriteLine($"reconciliation afterwards: {run.DiscrepancyCount} discrepancies");
    return run.DiscrepancyCount == 0 ? 0 : 1;
}

static async Task<int> LoadAsync(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    if (args.Length < 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url))
    {
        return Usage();
    }

    var clients = int.Parse(Option("--clients") ?? "64", CultureInfo.InvariantCulture);
    var seconds = int.Parse(Option("--seconds") ?? "10", CultureInfo.InvariantCulture);
    // The seeded 2.00 MC "Cheat sheet: SQL window functions", a digital product.
    var product = Guid.Parse(Option("--product") ?? "9d0d0c7a-0000-4000-8000-000000000014");
    return await new LoadBench(url, clients, TimeSpan.FromSeconds(seconds), product).RunAsync();
}

// One registered user who bought a few times, as a Cookie header on stdout (bench/run-reads.sh hands it to wrk).
static async Task<int> SignInAsync(string[] args)
{
    string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    if (args.Length < 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url))
    {
        return Usage();
    }

    var purchases = int.Parse(Option("--purchases") ?? "3", CultureInfo.InvariantCulture);
    var product = Guid.Parse(Option("--product") ?? "9d0d0c7a-0000-4000-8000-000000000014");
    Console.WriteLine(await LoadBench.SignInAsync(url, product, purchases));
    return 0;
}

// Ed25519 verification of a signed-intent-sized message, single-threaded, after a warm-up.
static int Verify(int count)
{
    var pair = Marketplace.Core.Identity.Ed25519.Generate();
    var message = System.Text.Encoding.UTF8.GetBytes(
        "{\"action\":\"spend\",\"amount\":\"12.50\",\"currency\":\"MC\",\"product_id\":\"9d0d0c7a-0000-4000-8000-000000000001\",\"quantity\":1,\"timestamp\":1795000000000,\"nonce\":\"q8Vx1m0ZQ2u3b4c5d6e7fA\",\"audience\":\"http://localhost:5141\"}");
    var signature = Marketplace.Core.Identity.Ed25519.Sign(pair.PrivateKeySeed, message);
    for (var i = 0; i < 500; i++)
    {
        Marketplace.Core.Identity.Ed25519.Verify(pair.PublicKey, message, signature);
    }

    foreach (var pass in new[] { 1, 2, 3 })
    {
        var timer = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (!Marketplace.Core.Identity.Ed25519.Verify(pair.PublicKey, message, signature))
            {
                throw new InvalidOperationException("A valid signature did not verify.");
            }
        }

        timer.Stop();
        Console.WriteLine($"pass {pass}: {count:N0} verifications in {timer.Elapsed.TotalMilliseconds:N0} ms: {timer.Elapsed.TotalMicroseconds / count:F1} µs/op");
    }

    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: reconcile [entries] [--keep] | post [count] [--workers n] [--direct] | verify [count] | load <url> [--clients n] [--seconds n] [--product id] | signin <url> [--purchases n] [--product id] | grow [entries] --database <file>");
    return 2;
}
