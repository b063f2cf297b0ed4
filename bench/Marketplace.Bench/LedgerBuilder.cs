using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Core;
using Marketplace.Core.Catalog;
using Marketplace.Core.Ledger;
using Marketplace.Core.Orders;
using Marketplace.Core.Payments;
using Microsoft.Data.Sqlite;

namespace Marketplace.Bench;

/// <summary>
/// Writes a large, consistent ledger straight into a migrated SQLite file: users and wallets, welcome grants,
/// paid top-ups, digital purchases, service orders on holds (settled or released) and transfers, each with
/// its order or payment row, correct balance-after values, final balances, a valid hash chain and its Merkle tree. One
/// transaction and prepared statements, so a million entries take seconds rather than the hours
/// LedgerService would need for the same through EF.
/// </summary>
internal sealed class LedgerBuilder : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Random _random = new(20261122);
    private readonly Dictionary<long, long> _balances = [];
    private readonly Dictionary<string, long> _accountsByCode = new(StringComparer.Ordinal);
    private readonly List<(Guid Id, long Available, long Held)> _users = [];
    private readonly SqliteCommand _insertTransaction;
    private readonly SqliteCommand _insertEntry;
    private readonly SqliteCommand _insertOrder;
    private readonly SqliteCommand _insertPayment;
    private readonly SqliteCommand _insertHold;
    private readonly SqliteCommand _insertNode;
    private readonly MerkleRange _tree = MerkleRange.Empty();
    private long _nextTransactionId;
    private long _nextEntryId;
    private long _nextAccountId;
    private string _head = LedgerChain.Genesis;
    private DateTime _now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private LedgerBuilder(SqliteConnection connection)
    {
        _connection = connection;
        _transaction = connection.BeginTransaction();
        _insertTransaction = Prepare("INSERT INTO ledger_transactions (Id, Kind, IdempotencyKey, ContentHash, Description, Metadata, CreatedAt, PreviousHash, Hash, LeafIndex) VALUES ($id, $kind, $key, $content, $description, NULL, $created, $previous, $hash, $leaf)", "$id", "$kind", "$key", "$content", "$description", "$created", "$previous", "$hash", "$leaf");
        _insertNode = Prepare("INSERT INTO ledger_tree_nodes (Level, Position, Hash) VALUES ($level, $position, $hash)", "$level", "$position", "$hash");
        _insertEntry = Prepare("INSERT INTO ledger_entries (Id, TransactionId, AccountId, Amount, BalanceAfter) VALUES ($id, $transaction, $account, $amount, $after)", "$id", "$transaction", "$account", "$amount", "$after");
        _insertOrder = Prepare(
            """
            INSERT INTO orders (Id, Kind, Status, BuyerId, SellerId, ProductId, RecipientId, Quantity, UnitPriceUnits, TotalUnits, CommissionUnits, Nonce, IntentSha256, Receipt, ReceiptSignature, BalanceAfterUnits, LedgerTransactionId, HoldId, CreatedAt, UpdatedAt, ResolvedAt)
            VALUES ($id, $kind, $status, $buyer, $seller, $product, $recipient, 1, $total, $total, $commission, $nonce, $sha, '{}', 'bench', $after, $transaction, $hold, $created, $created, NULL)
            """,
            "$id", "$kind", "$status", "$buyer", "$seller", "$product", "$recipient", "$total", "$commission", "$nonce", "$sha", "$after", "$transaction", "$hold", "$created");
        _insertPayment = Prepare(
            """
            INSERT INTO payments (Id, UserId, Gateway, AmountMinor, Currency, CreditsUnits, Status, ProviderReference, FailureReason, CreatedAt, UpdatedAt, CompletedAt, LedgerTransactionId, PackageId, PackageName, BonusBasisPoints, BonusUnits)
            VALUES ($id, $user, 'demo', $amount, 'USD', $amount, $status, $reference, NULL, $created, $created, $created, $transaction, $package, $packageName, $bonusRate, $bonus)
            """,
            "$id", "$user", "$amount", "$status", "$reference", "$created", "$transaction", "$package", "$packageName", "$bonusRate", "$bonus");
        _insertHold = Prepare(
            """
            INSERT INTO holds (Id, UserId, AmountUnits, SettledUnits, Status, Reference, CreatedAt, ExpiresAt, ResolvedAt, ReserveTransactionId, ResolutionTransactionId)
            VALUES ($id, $user, $amount, $settled, $status, 'bench service order', $created, $created, $created, $reserve, $resolution)
            """,
            "$id", "$user", "$amount", "$settled", "$status", "$created", "$reserve", "$resolution");
    }

    public long Entries => _nextEntryId;

    public long Transactions => _nextTransactionId;

    public static async Task<LedgerBuilder> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
            await pragmas.ExecuteNonQueryAsync();
        }

        var builder = new LedgerBuilder(connection);
        await builder.LoadAsync();
        return builder;
    }

    /// <summary>Adds users with wallets and welcome grants, then activity until the ledger holds at least <paramref name="entries"/> entries.</summary>
    public void Build(long entries)
    {
        var userCount = (int)Math.Clamp(entries / 100, 100, 50_000);
        for (var i = 0; i < userCount; i++)
        {
            AddUser(i);
        }

        var promotions = _accountsByCode[AccountCodes.Promotions];
        foreach (var user in _users)
        {
            Post(TransactionKind.WelcomeGrant, $"welcome:{user.Id:N}", "Welcome grant", (promotions, -100_000), (user.Available, 100_000));
        }

        var products = DemoCatalog.Products.Where(p => p.Kind == ProductKind.Digital).ToList();
        var services = DemoCatalog.Products.Where(p => p.Kind == ProductKind.Service).ToList();
        long step = 0;
        while (_nextEntryId < entries)
        {
            var buyer = _users[_random.Next(_users.Count)];
            switch (step++ % 20)
            {
                case 0:
                    TopUp(buyer);
                    break;
                case 1:
                    TopUp(buyer, package: true);
                    break;
                case 2 or 3:
                    Purchase(buyer, products[_random.Next(products.Count)], step);
                    break;
                case 4:
                    ServiceOrder(buyer, services[_random.Next(services.Count)], step, settle: step % 40 < 20);
                    break;
                default:
                    Transfer(buyer, _users[_random.Next(_users.Count)], step);
                    break;
            }
        }
    }

    public async Task CommitAsync()
    {
        using var update = Prepare("UPDATE accounts SET Balance = $balance WHERE Id = $id", "$balance", "$id");
        foreach (var (account, balance) in _balances)
        {
            update.Parameters[0].Value = balance;
            update.Parameters[1].Value = account;
            update.ExecuteNonQuery();
        }

        await _transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _insertTransaction, _insertEntry, _insertOrder, _insertPayment, _insertHold, _insertNode })
        {
            await command.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task LoadAsync()
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = "SELECT Id, Code, Balance FROM accounts";
        using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                _balances[reader.GetInt64(0)] = reader.GetInt64(2);
                _accountsByCode[reader.GetString(1)] = reader.GetInt64(0);
                _nextAccountId = Math.Max(_nextAccountId, reader.GetInt64(0));
            }
        }

        command.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM ledger_transactions";
        _nextTransactionId = (long)(await command.ExecuteScalarAsync())!;
        command.CommandText = "SELECT COALESCE(MAX(Id), 0) FROM ledger_entries";
        _nextEntryId = (long)(await command.ExecuteScalarAsync())!;
        if (_nextTransactionId > 0)
        {
            throw new InvalidOperationException("The bench builds into a fresh database only.");
        }
    }

    private void AddUser(int n)
    {
        var id = Guid.NewGuid();
        using (var user = Prepare("INSERT INTO users (Id, Email, DisplayName, PublicKey, CreatedAt) VALUES ($id, $email, $name, NULL, $created)", "$id", "$email", "$name", "$created"))
        {
            Bind(user, Text(id), $"user{n}@bench.example", $"Bench user {n}", Text(_now));
            user.ExecuteNonQuery();
        }

        long OpenAccount(AccountKind kind)
        {
            var accountId = ++_nextAccountId;
            using var account = Prepare("INSERT INTO accounts (Id, Code, Kind, OwnerId, Currency, Balance, AllowNegative, CreatedAt) VALUES ($id, $code, $kind, $owner, 'MC', 0, 0, $created)", "$id", "$code", "$kind", "$owner", "$created");
            Bind(account, accountId, AccountCodes.ForUser(id, kind), (int)kind, Text(id), Text(_now));
            account.ExecuteNonQuery();
            _balances[accountId] = 0;
            return accountId;
        }

        _users.Add((id, OpenAccount(AccountKind.UserAvailable), OpenAccount(AccountKind.UserHeld)));
    }

    /// <summary>A paid top-up; a package one (10 % bonus) also has its bonus grant, as PaymentService posts it.</summary>
    private void TopUp((Guid Id, long Available, long Held) user, bool package = false)
    {
        var paymentId = Guid.NewGuid();
        var amount = 500L * _random.Next(1, 40);
        var transaction = Post(TransactionKind.TopUp, PaymentService.TopUpKey(paymentId), "Top-up (demo)", (_accountsByCode[AccountCodes.Clearing("demo")], -amount), (user.Available, amount));
        long? bonus = package ? amount / 10 : null;
        if (bonus is { } units)
        {
            Post(TransactionKind.BonusGrant, PaymentService.BonusKey(paymentId), "Bonus 10 % on Bench", (_accountsByCode[AccountCodes.Promotions], -units), (user.Available, units));
        }

        Bind(_insertPayment, Text(paymentId), Text(user.Id), amount, (int)PaymentStatus.Succeeded, $"demo_{paymentId:N}", Text(_now), transaction,
            package ? "bench" : null, package ? "Bench" : null, package ? 1000 : null, bonus);
        _insertPayment.ExecuteNonQuery();
    }

    private void Purchase((Guid Id, long Available, long Held) buyer, SeedProduct product, long nonce)
    {
        var price = product.PriceUnits;
        if (_balances[buyer.Available] < price)
        {
            TopUp(buyer);
            return;
        }

        var commission = price / 10;
        var seller = SellerAccount(product.SellerId);
        var transaction = Post(TransactionKind.Purchase, PurchaseService.SpendKey(buyer.Id, Nonce(nonce)), $"Purchase {product.Name}", (buyer.Available, -price), (seller, price - commission), (_accountsByCode[AccountCodes.Revenue], commission));
        AddOrder(OrderKind.Digital, OrderStatus.Completed, buyer, product.SellerId, product.Id, null, price, commission, nonce, transaction, null);
    }

    private void ServiceOrder((Guid Id, long Available, long Held) buyer, SeedProduct product, long nonce, bool settle)
    {
        var price = product.PriceUnits;
        if (_balances[buyer.Available] < price)
        {
            TopUp(buyer);
            return;
        }

        var holdId = PurchaseService.HoldIdFor(buyer.Id, Nonce(nonce));
        var reserve = Post(TransactionKind.Hold, $"hold:{holdId:N}", $"Hold for {product.Name}", (buyer.Available, -price), (buyer.Held, price));
        var commission = price / 10;
        var resolution = settle
            ? Post(TransactionKind.HoldSettlement, $"hold-settle:{holdId:N}", $"Settled hold for {product.Name}", (buyer.Held, -price), (SellerAccount(product.SellerId), price - commission), (_accountsByCode[AccountCodes.Revenue], commission))
            : Post(TransactionKind.HoldRelease, $"hold-release:{holdId:N}", $"Released hold for {product.Name}", (buyer.Held, -price), (buyer.Available, price));
        Bind(_insertHold, Text(holdId), Text(buyer.Id), price, settle ? price : 0, (int)(settle ? HoldStatus.Settled : HoldStatus.Released), Text(_now), reserve, resolution);
        _insertHold.ExecuteNonQuery();
        AddOrder(OrderKind.Service, settle ? OrderStatus.Delivered : OrderStatus.Cancelled, buyer, product.SellerId, product.Id, null, price, commission, nonce, reserve, holdId);
    }

    private void Transfer((Guid Id, long Available, long Held) sender, (Guid Id, long Available, long Held) recipient, long nonce)
    {
        var amount = Math.Min(_balances[sender.Available], 100L * _random.Next(1, 500));
        if (amount == 0 || sender.Id == recipient.Id)
        {
            TopUp(sender);
            return;
        }

        var transaction = Post(TransactionKind.Transfer, PurchaseService.TransferKey(sender.Id, Nonce(nonce)), "Transfer", (sender.Available, -amount), (recipient.Available, amount));
        AddOrder(OrderKind.Transfer, OrderStatus.Completed, sender, null, null, recipient.Id, amount, 0, nonce, transaction, null);
    }

    private void AddOrder(OrderKind kind, OrderStatus status, (Guid Id, long Available, long Held) buyer, Guid? sellerId, Guid? productId, Guid? recipientId, long total, long commission, long nonce, long transaction, Guid? holdId)
    {
        Bind(_insertOrder, Text(Guid.NewGuid()), (int)kind, (int)status, Text(buyer.Id), Text(sellerId), Text(productId), Text(recipientId), total, commission, Nonce(nonce), new string('0', 64), _balances[buyer.Available], transaction, Text(holdId), Text(_now));
        _insertOrder.ExecuteNonQuery();
    }

    /// <summary>What LedgerService.PostAsync does, minus EF: entries in account order, running balances, the next link of the chain.</summary>
    private long Post(TransactionKind kind, string key, string description, params (long Account, long Amount)[] lines)
    {
        var id = ++_nextTransactionId;
        _now = _now.AddTicks(12_345_678);
        var canonical = LedgerChain.Canonical(id, kind, key, _now, lines, _head);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Bind(_insertTransaction, id, (int)kind, key, ContentHash(kind, lines), description, Text(_now), _head, hash, _tree.Size);
        _insertTransaction.ExecuteNonQuery();
        foreach (var (level, position, node) in _tree.Append(LedgerTree.LeafHash(canonical)))
        {
            Bind(_insertNode, level, position, node);
            _insertNode.ExecuteNonQuery();
        }

        foreach (var (account, amount) in lines.OrderBy(l => l.Account))
        {
            var after = _balances[account] += amount;
            Bind(_insertEntry, ++_nextEntryId, id, account, amount, after);
            _insertEntry.ExecuteNonQuery();
        }

        _head = hash;
        return id;
    }

    private long SellerAccount(Guid sellerId) => _accountsByCode[AccountCodes.ForUser(sellerId, AccountKind.UserAvailable)];

    private static string Nonce(long n) => "bench" + n.ToString(CultureInfo.InvariantCulture);

    private static string ContentHash(TransactionKind kind, (long Account, long Amount)[] lines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(((int)kind).ToString(CultureInfo.InvariantCulture) + string.Concat(lines.OrderBy(l => l.Account).Select(l => $"|{l.Account}:{l.Amount}")))));

    // The text forms EF Core's SQLite provider writes, so the application reads these rows as its own.
    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static object Text(Guid? value) => value is { } id ? id.ToString("D").ToUpperInvariant() : DBNull.Value;

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
