using Marketplace.Core.Catalog;
using Marketplace.Core.Orders;
using Marketplace.Core.Persistence;
using Marketplace.Core.Tests.Support;
using Marketplace.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.Core.Tests.Orders;

/// <summary>
/// The writer inserts orders with a plain command, not SaveChanges. Replays, receipts and reconciliation compare what
/// is stored (Guid text, timestamps) with what EF writes, so the two rows must be identical, value and storage type.
/// </summary>
public sealed class WhenAnOrderRowIsWrittenByAPlainCommand(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_column_is_stored_exactly_as_SaveChanges_stores_it()
    {
        var seller = await database.CreateSignerAsync(0);
        var buyer = await database.CreateSignerAsync(0);
        var product = await database.ListAsync(seller.Id, 2_00, ProductKind.Service);
        // Ticks below the millisecond and trailing zeros in the fraction: formats that trim or round differ here.
        var now = new DateTime(2026, 12, 1, 18, 59, 7, DateTimeKind.Utc).AddTicks(1_234_500);
        var facts = new PurchaseFacts(Guid.NewGuid(), OrderKind.Service, buyer.Id, seller.Id, product, "Logo", 1, 2_00, 20);
        var order = Order.Purchase(facts, $"nonce-{Guid.NewGuid():N}", new string('a', 64), new SignedReceipt("{\"receipt\":\"ü\"}", new string('s', 86), 7_00), 1, Guid.NewGuid(), now);

        string[] byEf;
        await using (var db = database.NewContext())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            byEf = await StoredAsync(db, order.Nonce);
            await db.Orders.Where(o => o.Id == order.Id).ExecuteDeleteAsync();
        }

        await using (var db = database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await OrderRows.InsertAsync(db, order, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var read = database.NewContext();
        var byCommand = await StoredAsync(read, order.Nonce);
        Assert.Equal(byEf, byCommand);
        // And EF reads it back as the same order.
        var loaded = await read.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id);
        Assert.Equal((order.BuyerId, order.HoldId, order.CreatedAt, DateTimeKind.Utc, order.Receipt), (loaded.BuyerId, loaded.HoldId, loaded.CreatedAt, loaded.CreatedAt.Kind, loaded.Receipt));
    }

    [Fact]
    public async Task A_new_order_id_is_time_ordered_and_its_row_is_found_by_it()
    {
        var seller = await database.CreateSignerAsync(0);
        var buyer = await database.CreateSignerAsync(10_00);
        var product = await database.ListAsync(seller.Id, 2_00, ProductKind.Digital);

        var order = await database.BuyAsync(database.Signer, buyer, product, 2_00);

        // Version 7: the id's leading bits are the time, so new rows append to the primary key's index.
        Assert.Equal(7, order.Id.Version);
        var stored = await database.StoredOrderAsync(order.Id);
        Assert.Equal((order.Id, order.Receipt), (stored.Id, stored.Receipt));
    }

    /// <summary>Each column as the database holds it: its storage type and its SQL literal.</summary>
    private static async Task<string[]> StoredAsync(MarketplaceDb db, string nonce)
    {
        var entity = db.Model.FindEntityType(typeof(Order))!;
        var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
#pragma warning disable CA2100 // Column names from the model.
        var describe = TestProvider.IsPostgres
            ? (Func<string?, string>)(c => $"pg_typeof(\"{c}\")::text || ' ' || quote_nullable(\"{c}\")")
            : c => $"typeof(\"{c}\") || ' ' || quote(\"{c}\")";
        command.CommandText = $"SELECT {string.Join(", ", columns.Select(describe))} FROM \"orders\" WHERE \"Nonce\" = @nonce";
#pragma warning restore CA2100
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@nonce";
        parameter.Value = nonce;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var stored = columns.Select((c, i) => $"{c}: {reader.GetString(i)}").ToArray();
        Assert.Equal(21, stored.Length);
        return stored;
    }
}
