using System.Net;
using Marketplace.Core.Payments;
using Marketplace.Core.Persistence;
using Marketplace.Core.Payments.BankTransfer;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Payments.Stripe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Web.Tests.Payments.BankTransfer;

/// <summary>
/// The outcome mail is queued in the decision's transaction, by the request whose transition won: a decision that is
/// rolled back or refused queues nothing, and a retry or a double submit queues it once.
/// </summary>
public sealed class WhenADecisionIsRolledBackOrRefused(OutboxApp app) : IClassFixture<OutboxApp>
{
    [Fact]
    public async Task A_decision_whose_transaction_fails_queues_nothing_and_the_one_that_commits_queues_one()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var admin = await app.AdminAsync();
        var id = await shopper.StartBankTransferAsync("1000.00");
        var reason = $"Nothing arrived {Guid.NewGuid():N}";
        // Fails the decision's INSERTs (its audit entry carries the reason) on every attempt the app makes.
        app.Conflicts.FailNext(reason, PostgresErrorCodes.SerializationFailure, times: 100);

        HttpStatusCode failed;
        try
        {
            using var response = await admin.RejectAsync(id, reason);
            failed = response.StatusCode;
        }
        finally
        {
            app.Conflicts.FailNext(reason, PostgresErrorCodes.SerializationFailure, times: 0);
        }

        Assert.NotEqual(HttpStatusCode.OK, failed);
        Assert.Equal("pending", await shopper.PaymentStatusAsync(id));
        Assert.DoesNotContain(await app.OutboxAsync(id), OutboxApp.IsOutcome);

        using var rejected = await admin.RejectAsync(id, reason);

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var outcome = Assert.Single(await app.OutboxAsync(id), OutboxApp.IsOutcome);
        Assert.Contains($"Reason: {reason}", outcome.TextBody, StringComparison.Ordinal);
        Assert.Equal(shopper.User.Email, outcome.ToAddress);
    }

    [Fact]
    public async Task A_refused_decision_queues_nothing()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var admin = await app.AdminAsync();
        var id = await shopper.StartBankTransferAsync("1000.00");

        using var noReason = await admin.RejectAsync(id, "  ");
        using var noAmount = await admin.ConfirmAsync(id, "0");
        using var differs = await admin.ConfirmAsync(id, "950.00");

        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest, "reason_required");
        Assert.False(noAmount.IsSuccessStatusCode);
        Assert.False(differs.IsSuccessStatusCode);
        Assert.DoesNotContain(await app.OutboxAsync(id), OutboxApp.IsOutcome);

        using var rejected = await admin.RejectAsync(id, "Sent to the wrong account");
        using var thenConfirmed = await admin.ConfirmAsync(id, "1000.00");

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, thenConfirmed.StatusCode);
        Assert.Equal(BankTransferMail.RejectedKind, Assert.Single(await app.OutboxAsync(id), OutboxApp.IsOutcome).Kind);
    }

    [Fact]
    public async Task A_double_submit_queues_one_mail()
    {
        using var shopper = await ApiClient.RegisteredAsync(app);
        using var first = await app.AdminAsync();
        using var second = await app.AdminAsync();
        var id = await shopper.StartBankTransferAsync("1000.00");

        var answers = await Concurrently.RunAsync(2, async i =>
        {
            using var response = await (i == 0 ? first : second).ConfirmAsync(id, "1000.00");
            return response.StatusCode;
        });

        Assert.Single(answers, s => s == HttpStatusCode.OK);
        Assert.Single(answers, s => s == HttpStatusCode.Conflict);
        Assert.Equal(BankTransferMail.ConfirmedKind, Assert.Single(await app.OutboxAsync(id), OutboxApp.IsOutcome).Kind);
        Assert.Single(await app.OutboxAsync(id), r => r.Kind == BankTransferMail.InstructionsKind);
        Assert.Equal(1, await TopUpsAsync(id));
    }

    private async Task<int> TopUpsAsync(Guid paymentId)
    {
        using var scope = app.Services.CreateScope();
        var key = PaymentService.TopUpKey(paymentId);
        return await scope.ServiceProvider.GetRequiredService<MarketplaceDb>().LedgerTransactions.CountAsync(t => t.IdempotencyKey == key);
    }
}
