namespace Marketplace.Core.Catalog;

/// <summary>The demo sellers and products every new installation starts with. Ids are fixed so links and tests stay stable.</summary>
public static class DemoCatalog
{
    public static readonly Guid PixelForge = new("5e11e400-0000-4000-8000-000000000001");
    public static readonly Guid QuietStudio = new("5e11e400-0000-4000-8000-000000000002");
    public static readonly Guid GridWorks = new("5e11e400-0000-4000-8000-000000000003");

    public static IReadOnlyList<SeedSeller> Sellers { get; } =
    [
        new(PixelForge, "pixelforge@sellers.example", "PixelForge"),
        new(QuietStudio, "quietstudio@sellers.example", "Quiet Studio"),
        new(GridWorks, "gridworks@sellers.example", "GridWorks Consulting"),
    ];

    public static IReadOnlyList<SeedProduct> Products { get; } =
    [
        new(Id(1), PixelForge, "Icon pack: Line", "240 line icons in SVG and PNG, three weights.", "Design", ProductKind.Digital, 12_50),
        new(Id(2), PixelForge, "Icon pack: Duotone", "180 duotone icons with editable colour layers.", "Design", ProductKind.Digital, 18_00),
        new(Id(3), PixelForge, "UI kit for dashboards", "Figma components for tables, charts and forms.", "Design", ProductKind.Digital, 49_00),
        new(Id(4), PixelForge, "Font: Harbour Sans", "A humanist sans in six weights, desktop and web licence.", "Type", ProductKind.Digital, 35_00),
        new(Id(5), QuietStudio, "Ambient loops vol. 1", "Twenty royalty-free ambient loops, 24-bit WAV.", "Audio", ProductKind.Digital, 9_99),
        new(Id(6), QuietStudio, "Podcast intro jingle", "A five-second sting in three moods.", "Audio", ProductKind.Digital, 4_50),
        new(Id(7), QuietStudio, "Field recordings: Coast", "Waves, gulls and harbour sounds, 90 minutes.", "Audio", ProductKind.Digital, 15_00),
        new(Id(8), QuietStudio, "Custom voice-over (60 s)", "A professional read of your script, delivered within a week.", "Audio", ProductKind.Service, 80_00),
        new(Id(9), GridWorks, "Code review (one pull request)", "A senior engineer reviews one pull request of up to 500 lines.", "Services", ProductKind.Service, 60_00),
        new(Id(10), GridWorks, "Architecture consultation (1 h)", "A video call about your system's design, with written notes.", "Services", ProductKind.Service, 120_00),
        new(Id(11), GridWorks, "Database health check", "We read your schema and slow queries and send a report.", "Services", ProductKind.Service, 150_00),
        new(Id(12), GridWorks, "E-book: Ledgers in practice", "Double-entry bookkeeping for software engineers, 140 pages.", "Books", ProductKind.Digital, 22_00),
        new(Id(13), PixelForge, "Logo design", "Three logo concepts and two rounds of revisions.", "Design", ProductKind.Service, 250_00),
        new(Id(14), GridWorks, "Cheat sheet: SQL window functions", "A printable two-page reference.", "Books", ProductKind.Digital, 2_00),
    ];

    private static Guid Id(int n) => new($"9d0d0c7a-0000-4000-8000-{n:D12}");
}

public sealed record SeedSeller(Guid Id, string Email, string DisplayName);

public sealed record SeedProduct(Guid Id, Guid SellerId, string Name, string Description, string Category, ProductKind Kind, long PriceUnits);
