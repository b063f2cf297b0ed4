namespace Marketplace.Core.Catalog;

/// <summary>
/// A counter the database moves itself on every change to what the catalog shows: triggers on <c>products</c> (insert,
/// update, delete) and on a user's display name (a seller's name is on every card) add one to it in the writing
/// transaction. A cached catalog page is keyed by it, so a listing, edit, price change, withdrawal or relisting is
/// seen by the next request on every instance, whichever instance or tool wrote it, and nothing can forget to bump it.
/// One row (<see cref="RowId"/>), created by the first product write; no row reads as version 0.
/// </summary>
public sealed class CatalogVersion
{
    public const int RowId = 1;

    private CatalogVersion()
    {
    }

    public int Id { get; private set; }

    public long Version { get; private set; }
}
