using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Marketplace.Core.Persistence.Migrations;

/// <summary>
/// The catalog's version (<see cref="Catalog.CatalogVersion"/>): triggers add one in the transaction of every write to
/// <c>products</c> and of every change of a user's display name, so cached catalog pages are keyed by a number no write
/// path can forget to move. The row is created by the first such write (an upsert), so a new database holds no row and
/// `db copy-to-postgres` finds its target empty.
/// </summary>
[DbContext(typeof(MarketplaceDb))]
[Migration("20261201170000_CatalogVersion")]
public sealed class CatalogVersionCounter : Migration
{
    private const string Bump = """
        INSERT INTO "catalog_version" ("Id", "Version") VALUES (1, 1)
        ON CONFLICT ("Id") DO UPDATE SET "Version" = "catalog_version"."Version" + 1;
        """;

    private static readonly string[] SqliteTriggers =
    [
        $"""CREATE TRIGGER "catalog_version_on_product_insert" AFTER INSERT ON "products" BEGIN {Bump} END;""",
        $"""CREATE TRIGGER "catalog_version_on_product_update" AFTER UPDATE ON "products" BEGIN {Bump} END;""",
        $"""CREATE TRIGGER "catalog_version_on_product_delete" AFTER DELETE ON "products" BEGIN {Bump} END;""",
        $"""
        CREATE TRIGGER "catalog_version_on_seller_name" AFTER UPDATE OF "DisplayName" ON "users"
        WHEN OLD."DisplayName" IS NOT NEW."DisplayName" BEGIN {Bump} END;
        """,
    ];

    // Once per statement on products (an edit of many rows is one change to the catalog), once per renamed user.
    private static readonly string[] PostgresTriggers =
    [
        $"""
        CREATE FUNCTION "catalog_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {Bump} RETURN NULL; END;
        $$;
        """,
        """
        CREATE TRIGGER "catalog_version_on_products" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "products"
        FOR EACH STATEMENT EXECUTE FUNCTION "catalog_version_bump"();
        """,
        """
        CREATE TRIGGER "catalog_version_on_seller_name" AFTER UPDATE OF "DisplayName" ON "users"
        FOR EACH ROW WHEN (OLD."DisplayName" IS DISTINCT FROM NEW."DisplayName") EXECUTE FUNCTION "catalog_version_bump"();
        """,
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.CreateTable(
            name: "catalog_version",
            columns: table => new
            {
                Id = table.Column<int>(nullable: false),
                Version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_catalog_version", x => x.Id));

        foreach (var trigger in migrationBuilder.IsSqlite() ? SqliteTriggers : PostgresTriggers)
        {
            migrationBuilder.Sql(trigger);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        if (migrationBuilder.IsSqlite())
        {
            foreach (var name in new[] { "catalog_version_on_product_insert", "catalog_version_on_product_update", "catalog_version_on_product_delete", "catalog_version_on_seller_name" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{name}\";");
            }
        }
        else
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"catalog_version_on_products\" ON \"products\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"catalog_version_on_seller_name\" ON \"users\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS \"catalog_version_bump\"();");
        }

        migrationBuilder.DropTable("catalog_version");
    }
}
