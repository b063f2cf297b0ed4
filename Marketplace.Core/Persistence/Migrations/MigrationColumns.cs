using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.Internal;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>What one history of hand-written migrations needs to say once for every provider.</summary>
internal static class MigrationColumns
{
    /// <summary>
    /// A key the database numbers: AUTOINCREMENT on SQLite (ids never reused), an identity column on PostgreSQL (what
    /// the Npgsql provider's model makes of a generated long key). Each provider ignores the other's annotation.
    /// </summary>
    public static OperationBuilder<AddColumnOperation> Generated(this OperationBuilder<AddColumnOperation> column) =>
        column
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation(NpgsqlAnnotationNames.ValueGenerationStrategy, NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
