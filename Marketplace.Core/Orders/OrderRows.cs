using System.Data.Common;
using System.Runtime.CompilerServices;
using Marketplace.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.Core.Orders;

/// <summary>
/// Inserts a new order with one plain command instead of EF's <c>SaveChanges</c> (change tracking, a command batch and
/// its diagnostics for one row: the largest piece of a purchase inside the ledger writer). The statement and its
/// values come from EF's own model: every mapped column, each value through the property's type mapping and value
/// converter (Guids as EF's text, timestamps through <see cref="UtcDateTimeConverter"/>), so the row is byte for byte
/// what <c>SaveChanges</c> would have written and everything that reads orders back (replays, reconciliation, receipts)
/// sees no difference.
/// </summary>
internal static class OrderRows
{
    // One plan per model: the writer's context and the requests' share it.
    private static readonly ConditionalWeakTable<IModel, Plan> Plans = [];

    /// <summary>Inserts <paramref name="order"/>; a unique violation ((buyer, nonce), or the id) throws the provider's <see cref="DbException"/>.</summary>
    public static async Task InsertAsync(MarketplaceDb db, Order order, CancellationToken cancellationToken)
    {
        var plan = Plans.GetValue(db.Model, static model => new Plan(model));
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
#pragma warning disable CA2100 // Built from the model's table and column names; every value is a parameter.
        command.CommandText = plan.Sql;
#pragma warning restore CA2100
        for (var i = 0; i < plan.Columns.Length; i++)
        {
            var (property, mapping) = plan.Columns[i];
            command.Parameters.Add(mapping.CreateParameter(command, "@p" + i, property.GetGetter().GetClrValueUsingContainingEntity(order), property.IsNullable));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Plan
    {
        public Plan(IModel model)
        {
            var entity = model.FindEntityType(typeof(Order)) ?? throw new InvalidOperationException("Orders are not in the model.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            Columns = entity.GetProperties().Select(p => (p, p.GetRelationalTypeMapping())).ToArray();
            var names = string.Join(", ", Columns.Select(c => Quote(c.Property.GetColumnName(table)!)));
            var values = string.Join(", ", Columns.Select((_, i) => "@p" + i));
            Sql = $"INSERT INTO {Quote(table.Name)} ({names}) VALUES ({values})";
        }

        public (IProperty Property, RelationalTypeMapping Mapping)[] Columns { get; }

        public string Sql { get; }

        // Standard double-quoted identifiers, as the ledger's plain SQL writes them.
        private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
