using System.Globalization;
using System.Text;
using Marketplace.Core;
using Marketplace.Core.Ledger;

namespace Marketplace.Web.Pages.Wallet;

/// <summary>
/// The available balance over the last days as an SVG line, laid out on the server. Coordinates come from
/// integer arithmetic on minor units (Int128, so no balance can overflow it), never from floating point.
/// </summary>
public sealed class BalanceChart
{
    public const int Width = 640;
    public const int Height = 200;
    public const int PlotLeft = 8;
    public const int PlotRight = Width - 8;
    public const int PlotTop = 12;
    public const int PlotBottom = Height - 28;

    private BalanceChart(IReadOnlyList<DailyBalance> points)
    {
        Points = points;
        Lowest = points.Min(p => p.Closing);
        Highest = points.Max(p => p.Closing);
        First = points[0];
        Last = points[^1];
    }

    public IReadOnlyList<DailyBalance> Points { get; }

    public DailyBalance First { get; }

    public DailyBalance Last { get; }

    public Credits Lowest { get; }

    public Credits Highest { get; }

    public int Days => Points.Count - 1;

    public string FirstDay => Points[1].Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string LastDay => Last.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The text alternative: what a sighted reader takes from the line.</summary>
    public string Summary =>
        $"From {FirstDay} to {LastDay} your available balance went from {First.Closing.ToDisplayString()} to {Last.Closing.ToDisplayString()}; " +
        $"lowest {Lowest.ToDisplayString()}, highest {Highest.ToDisplayString()}.";

    public static BalanceChart From(IReadOnlyList<DailyBalance> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return points.Count >= 2 ? new BalanceChart(points) : throw new ArgumentException("A chart needs at least two points.", nameof(points));
    }

    public int X(int index) => PlotLeft + (index * (PlotRight - PlotLeft) / (Points.Count - 1));

    /// <summary>Highest balance at the top of the plot, lowest at the bottom; a flat series sits in the middle.</summary>
    public int Y(Credits balance)
    {
        var range = (Int128)Highest.Units - Lowest.Units;
        if (range == 0)
        {
            return (PlotTop + PlotBottom) / 2;
        }

        var offset = ((Int128)balance.Units - Lowest.Units) * (PlotBottom - PlotTop) / range;
        return PlotBottom - (int)offset;
    }

    /// <summary>The polyline's points attribute: "x,y x,y …".</summary>
    public string PolylinePoints()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Points.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : " ")}{X(i)},{Y(Points[i].Closing)}");
        }

        return text.ToString();
    }
}
