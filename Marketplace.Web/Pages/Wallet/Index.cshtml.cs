using System.Globalization;
using Marketplace.Core;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Core.Payments;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Marketplace.Web.Hosting;
using Marketplace.Web.Htmx;
using Marketplace.Web.Pages.Checkout;
using Marketplace.Web.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Wallet;

public class IndexModel(WalletQueries wallet, StatementQueries statements, PaymentService payments, MarketplaceOptions options, TimeProvider clock) : PageModel
{
    public const int HistoryPageSize = 20;

    public const int ChartDays = 30;

    /// <summary>How many of the newest payments the wallet lists.</summary>
    public const int PaymentsShown = 10;

    /// <summary>The currencies the Buy credits form offers; the first is the default.</summary>
    public static readonly IReadOnlyList<string> Currencies = [Currency.Usd.Code, Currency.Eur.Code, Currency.Tzs.Code];

    /// <summary>What the Buy credits form posts; names match the JSON API (amount, currency, gateway, package_id: empty for a custom amount).</summary>
    public sealed record BuyCreditsInput(string? Amount, string? Currency, string? Gateway, [ModelBinder(Name = "package_id")] string? PackageId = null,
        [ModelBinder(Name = CheckoutReturn.FormField)] string? ReturnTo = null)
    {
        public bool BuysPackage => !string.IsNullOrEmpty(PackageId);
    }

    /// <param name="OrderId">The order the row belongs to (a purchase, hold or transfer), linked from the description.</param>
    public sealed record HistoryRow(DateTime CreatedAt, string Description, string Kind, string Amount, string BalanceAfter, Guid? OrderId = null)
    {
        public string IsoTimestamp => CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public string DisplayDate => CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }

    public sealed record HistoryView(IReadOnlyList<HistoryRow> Rows, long? NextCursor, bool IsFirstPage);

    public WalletBalance Balance { get; private set; } = new(Credits.Zero, Credits.Zero);

    /// <summary>What the account still lacks: a verified email, a recovery code.</summary>
    public AccountReminders Reminders { get; private set; } = new(string.Empty, true, true);

    public HistoryView History { get; private set; } = new([], null, true);

    /// <summary>The newest top-ups in every state: pending ones can be reopened, failed ones say why.</summary>
    public IReadOnlyList<Payment> Payments { get; private set; } = [];

    /// <summary>A gateway's name as the Buy credits form shows it ("Demo", "Bank transfer").</summary>
    public string GatewayLabel(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Gateways.FirstOrDefault(g => g.Name == payment.Gateway)?.DisplayName ?? payment.Gateway;
    }

    /// <summary>Where a payment's own page is: the bank page (details and reference) for a bank transfer, else the return page.</summary>
    public static string PaymentUrl(Payment payment) =>
        payment.Gateway == Marketplace.Core.Payments.BankTransfer.BankTransferGateway.GatewayName ? $"/payments/bank/{payment.Id}" : $"/payments/{payment.Id}";

    public BalanceChart? Chart { get; private set; }

    /// <summary>The statement form's default range: the same days the chart shows.</summary>
    public (string From, string To) StatementRange { get; private set; }

    public IReadOnlyList<IPaymentGateway> Gateways => payments.Gateways;

    /// <summary>The packages offered beside a custom amount, as radio cards.</summary>
    public IReadOnlyList<CreditPackage> Packages => payments.Packages;

    public BuyCreditsInput Buy { get; private set; } = new(null, Currencies[0], null);

    /// <summary>The rejected Buy credits field ("amount", "currency" or "gateway") and why.</summary>
    public (string Field, string Message)? BuyError { get; private set; }

    /// <summary>Rendered open by the server after a rejected post, or for ?buy=1 when script is off.</summary>
    public bool BuyDialogOpen { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? before, bool buy = false, string? amount = null, string? currency = null,
        [FromQuery(Name = CheckoutReturn.FormField)] string? returnTo = null)
    {
        BuyDialogOpen = buy;
        // A checkout that fell short presets the amount and asks to be returned to.
        if (buy && (amount is not null || returnTo is not null))
        {
            Buy = new BuyCreditsInput(amount, Currencies.Contains(currency ?? "") ? currency : Currencies[0], null, null, CheckoutReturn.Parse(returnTo));
        }
        await LoadAsync(before);
        return Page();
    }

    /// <summary>The Buy credits form's live "25.00 USD → 25.00 MC" line, from CreditPrices: the server is the one source of truth.</summary>
    [HtmxPartial]
    public IActionResult OnGetConversion(string? amount, string? currency) => Partial("_Conversion", Conversion(amount, currency));

    /// <summary>What <paramref name="amount"/> in <paramref name="currency"/> buys, or a hint when it is not an amount yet.</summary>
    public string Conversion(string? amount, string? currency)
    {
        if (!Core.Currency.TryFind(currency, out var found) || !options.CreditPrices.Supports(found))
        {
            return "Choose a currency to see how many credits you get.";
        }

        if (Money.TryParse(amount, found, out var money) != AmountParse.Ok || money.Minor <= 0)
        {
            return $"Type an amount in {found.Code} to see how many credits you get.";
        }

        return $"{money.ToDisplayString()} → {options.CreditPrices.ToCredits(money).ToDisplayString()}";
    }

    /// <summary>The balance section's poll: 304 while it shows what the browser already has (<see cref="ConditionalGet"/>).</summary>
    [HtmxPartial]
    public async Task<IActionResult> OnGetBalanceAsync()
    {
        var userId = User.UserId();
        Balance = await wallet.BalanceAsync(userId, HttpContext.RequestAborted);
        var etag = ConditionalGet.ETagOf("wallet-balance", userId.ToString("N"), Balance.Available.Units.ToString(CultureInfo.InvariantCulture), Balance.Held.Units.ToString(CultureInfo.InvariantCulture));
        return ConditionalGet.IsCurrent(HttpContext, etag) ? StatusCode(StatusCodes.Status304NotModified) : Partial("_Balance", Balance);
    }

    [HtmxPartial]
    public async Task<IActionResult> OnGetHistoryAsync(long? before)
    {
        History = await HistoryPageAsync(ValidCursor(before));
        return Partial("_History", History);
    }

    public async Task<IActionResult> OnPostBuyCreditsAsync(BuyCreditsInput? input)
    {
        // A post with none of the form's fields binds no input at all: refused like an empty form.
        input ??= new BuyCreditsInput(null, null, null);
        // The Amount field is posted either way; with a package chosen it is not what is bought, so it is not sent on.
        var request = input.BuysPackage
            ? new TopUpRequest(null, input.Currency, input.Gateway, input.PackageId)
            : new TopUpRequest(input.Amount, input.Currency, input.Gateway);
        var result = await payments.InitiateAsync(User.UserId(), request, Request.SiteOrigin(options), HttpContext.RequestAborted);
        if (result is InitiateResult.Started started)
        {
            if (CheckoutReturn.Parse(input.ReturnTo) is { } returnPath)
            {
                CheckoutReturn.Remember(Response, started.Payment.Id, returnPath);
            }

            return Redirect(started.PaymentUrl.ToString());
        }

        var failure = result.ToFailure();
        Buy = input;
        BuyError = (failure.Field ?? "gateway", failure.Message);
        BuyDialogOpen = true;
        await LoadAsync(before: null);
        Response.StatusCode = failure.Status;
        return Page();
    }

    /// <summary>The error summary's (field id to link, message): amount and currency are single inputs; a package or gateway is a group.</summary>
    public (string? FieldId, string Message)? BuyErrorSummary =>
        BuyError is { } error ? (error.Field is "amount" or "currency" ? error.Field : null, error.Message) : null;

    public string? ErrorFor(string field) => BuyError is { } error && error.Field == field ? error.Message : null;

    public bool IsSelectedPackage(CreditPackage? package) =>
        package is null ? !Buy.BuysPackage : string.Equals(Buy.PackageId, package.Id, StringComparison.OrdinalIgnoreCase);

    public bool IsSelectedGateway(IPaymentGateway gateway) =>
        Buy.Gateway is null ? gateway == Gateways[0] : string.Equals(Buy.Gateway, gateway.Name, StringComparison.OrdinalIgnoreCase);

    private async Task LoadAsync(long? before)
    {
        Payments = await payments.RecentForAsync(User.UserId(), PaymentsShown, HttpContext.RequestAborted);
        // The balance and the banners in one read.
        var summary = await wallet.SummaryAsync(User.UserId(), HttpContext.RequestAborted);
        Reminders = AccountReminders.For(summary);
        Balance = summary?.Balance ?? new WalletBalance(Credits.Zero, Credits.Zero);
        HeaderBalanceView.Remember(HttpContext, Balance.Available);
        History = await HistoryPageAsync(ValidCursor(before));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - ChartDays);
        Chart = BalanceChart.From(await statements.DailyClosingAsync(User.UserId(), first, today, HttpContext.RequestAborted));
        StatementRange = (first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private async Task<HistoryView> HistoryPageAsync(long? before)
    {
        // Each line with its order in one query (orders are indexed by ledger transaction).
        var page = await wallet.HistoryWithOrdersAsync(User.UserId(), HistoryPageSize, before, HttpContext.RequestAborted);
        var rows = new List<HistoryRow>(page.Lines.Count);
        foreach (var (i, orderId, status) in page.Lines)
        {
            rows.Add(orderId is { } order
                // A hold says what became of it ("Hold · Delivered"), not only that credits were held.
                ? new HistoryRow(i.CreatedAt, i.Description, i.Kind == TransactionKind.Hold && status is { } s ? $"{Labels.Of(i.Kind)} · {Labels.Of(s)}" : Labels.Of(i.Kind), Signed(i.Amount), i.BalanceAfter.ToDisplayString(), order)
                : new HistoryRow(i.CreatedAt, i.Description, Labels.Of(i.Kind), Signed(i.Amount), i.BalanceAfter.ToDisplayString()));
        }

        return new HistoryView(rows, page.NextCursor, IsFirstPage: before is null);
    }

    // Cursors are entry ids; anything else means "from the newest".
    private static long? ValidCursor(long? before) => before is > 0 ? before : null;

    private static string Signed(Credits amount) => amount.Units > 0 ? "+" + amount.ToDisplayString() : amount.ToDisplayString();
}
