using System.Collections.Frozen;

namespace Marketplace.Web.Failures;

/// <summary>
/// One expected failure as everybody is told it: the HTTP status and the stable <see cref="Code"/> an API client
/// switches on, a short <see cref="Title"/>, the <see cref="Message"/> people read (the problem's <c>detail</c>, and the
/// text a page shows), the input <see cref="Field"/> it is about when there is one, and facts a client can act on
/// (<c>expected_amount</c>, <c>payment_status</c>…). <see cref="FailureTable"/> makes them; the API writes them as
/// problem details and the pages show them beside the field.
/// </summary>
public sealed record Failure(int Status, string Code, string Title, string Message, string? Field = null, IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public const string NotValidTitle = "The request is not valid";
    public const string CannotBeCarriedOutTitle = "The request cannot be carried out";

    // Input that is well-formed but not acceptable (product.md: 422); any other refused input is malformed (400).
    private static readonly FrozenSet<string> Unacceptable = FrozenSet.ToFrozenSet(
    [
        "amount_too_small", "amount_too_large", "below_minimum", "too_many_open_payments", "amount_exceeds_order", "too_many_listings",
        "package_not_offered", "delivery_required", "delivery_for_service", "file_type_mismatch", "empty_file", "file_sold",
    ], StringComparer.Ordinal);

    /// <summary>Refused input, as Core's <c>Invalid</c> results report it: 422 when it is well-formed but unacceptable, else 400.</summary>
    public static Failure Invalid(string code, string? field, string message) =>
        Unacceptable.Contains(code) ? Unprocessable(code, message, field) : BadRequest(code, message, field);

    public static Failure BadRequest(string code, string message, string? field = null) =>
        new(StatusCodes.Status400BadRequest, code, NotValidTitle, message, field);

    public static Failure Unprocessable(string code, string message, string? field = null) =>
        new(StatusCodes.Status422UnprocessableEntity, code, CannotBeCarriedOutTitle, message, field);

    public static Failure NotFound(string code, string message) =>
        new(StatusCodes.Status404NotFound, code, "Not found", message);

    public static Failure Conflict(string code, string title, string message, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, code, title, message, Extensions: extensions);
}
