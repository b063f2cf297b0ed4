using System.Globalization;
using Marketplace.Core.Identity;
using Marketplace.Core.Ledger;
using Marketplace.Web.Auth;
using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// The ledger's signed checkpoints and RFC 9162 proofs against them, hashes in base64url. Checkpoints and consistency
/// proofs are public: anyone may keep checkpoints and check that the ledger was only ever appended to. An inclusion
/// proof names a transaction, so only its owner (or an admin) gets one.
/// </summary>
public static class LedgerApi
{
    /// <summary><paramref name="Checkpoint"/> is the checkpoint JSON exactly as signed; verify the signature over its UTF-8 bytes with the receipt key.</summary>
    public sealed record CheckpointResponse(string Checkpoint, string Signature);

    public sealed record CheckpointListResponse(IReadOnlyList<CheckpointResponse> Items, string? NextCursor);

    public sealed record InclusionProofResponse(long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> InclusionPath);

    public sealed record ConsistencyProofResponse(long From, long To, IReadOnlyList<string> ConsistencyPath);

    public static RouteGroupBuilder MapLedgerApi(this RouteGroupBuilder api)
    {
        var ledger = api.MapGroup("/ledger").WithTags("Ledger");
        ledger.MapGet("/checkpoints", List).AllowAnonymous()
            .WithSummary("Signed checkpoints of the ledger's Merkle tree, newest first; pass next_cursor as before for the next page")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        ledger.MapGet("/checkpoints/latest", Latest).AllowAnonymous()
            .WithSummary("The newest signed checkpoint: keep it, and later ask for a consistency proof from its tree_size")
            .ProducesProblems(StatusCodes.Status404NotFound);
        ledger.MapGet("/proof/consistency", Consistency).AllowAnonymous()
            .WithSummary("RFC 9162 proof that the tree of `to` transactions extends the tree of `from` transactions")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        ledger.MapGet("/proof/inclusion", Inclusion).RequireAuthorization()
            .WithSummary("RFC 9162 proof that one of your transactions (transaction_id in the wallet history) is in the tree of `size` transactions; admins may ask for any")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    public static async Task<Results<Ok<CheckpointListResponse>, ProblemHttpResult>> List(LedgerCheckpoints checkpoints, string? limit, string? before, CancellationToken cancellationToken)
    {
        var size = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > LedgerCheckpoints.MaxPageSize))
        {
            return ApiProblems.BadRequest("invalid_limit", $"limit must be a whole number from 1 to {LedgerCheckpoints.MaxPageSize}.", "limit");
        }

        long? cursor = null;
        if (before is not null)
        {
            if (!TryParseCount(before, out var parsed) || parsed <= 0)
            {
                return ApiProblems.BadRequest("invalid_cursor", "before must be a next_cursor value from an earlier page.", "before");
            }

            cursor = parsed;
        }

        var page = await checkpoints.PageAsync(size, cursor, cancellationToken);
        return TypedResults.Ok(new CheckpointListResponse(page.Items.Select(ToResponse).ToList(), page.NextBefore?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<CheckpointResponse>, ProblemHttpResult>> Latest(LedgerCheckpoints checkpoints, CancellationToken cancellationToken) =>
        await checkpoints.LatestAsync(cancellationToken) is { } latest ? TypedResults.Ok(ToResponse(latest)) : FailureTable.NoCheckpoint.ToProblem();

    public static async Task<Results<Ok<ConsistencyProofResponse>, ProblemHttpResult>> Consistency(LedgerProofs proofs, string? from, string? to, CancellationToken cancellationToken)
    {
        if (!TryParseCount(from, out var oldSize))
        {
            return InvalidSize("from");
        }

        if (!TryParseCount(to, out var newSize))
        {
            return InvalidSize("to");
        }

        var result = await proofs.ConsistencyAsync(oldSize, newSize, cancellationToken);
        return result is ProofResult.Consistency proof
            ? TypedResults.Ok(new ConsistencyProofResponse(proof.From, proof.To, Hashes(proof.Path)))
            : result.ToFailure().ToProblem();
    }

    public static async Task<Results<Ok<InclusionProofResponse>, ProblemHttpResult>> Inclusion(HttpContext context, LedgerProofs proofs, string? tx, string? size)
    {
        if (!TryParseCount(tx, out var transactionId) || transactionId == 0)
        {
            return ApiProblems.BadRequest("invalid_transaction_id", "tx must be a transaction_id from GET /api/wallet/transactions.", "tx");
        }

        if (!TryParseCount(size, out var treeSize))
        {
            return InvalidSize("size");
        }

        var owner = context.User.IsAdmin() ? (Guid?)null : context.User.UserId();
        var result = await proofs.InclusionAsync(transactionId, treeSize, owner, context.RequestAborted);
        return result is ProofResult.Inclusion proof
            ? TypedResults.Ok(new InclusionProofResponse(proof.LeafIndex, proof.TreeSize, StrictBase64Url.Encode(proof.LeafHash), Hashes(proof.Path)))
            : result.ToFailure().ToProblem();
    }

    public static CheckpointResponse ToResponse(LedgerCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new CheckpointResponse(checkpoint.Json, checkpoint.Signature);
    }

    private static ProblemHttpResult InvalidSize(string field) =>
        ApiProblems.BadRequest("invalid_size", $"{field} must be a tree size: a whole number of transactions, such as a checkpoint's tree_size.", field);

    private static bool TryParseCount(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static List<string> Hashes(IReadOnlyList<byte[]> hashes) => hashes.Select(h => StrictBase64Url.Encode(h)).ToList();
}
