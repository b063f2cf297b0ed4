using Marketplace.Web.Failures;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Api;

/// <summary>
/// How the API writes a <see cref="Failure"/>: RFC 9457 problem details whose stable <c>code</c> (also the last segment
/// of <c>type</c>) clients can switch on, <c>detail</c> the failure's message and <c>field</c> the input it is about.
/// What each of Core's results means lives in <see cref="FailureTable"/>; the helpers here are for refusals of the
/// request itself (a bad query parameter, a missing field) that no Core service returns.
/// </summary>
public static class ApiProblems
{
    public const string TypeBase = "https://marketplace.example/problems/";

    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var problem = new ProblemDetails
        {
            Status = failure.Status,
            Type = TypeBase + failure.Code,
            Title = failure.Title,
            Detail = failure.Message,
        };
        foreach (var (key, value) in Extensions(failure))
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new Failure(status, code, title, detail ?? title, Extensions: extensions).ToProblem();

    public static ProblemHttpResult BadRequest(string code, string detail, string? field = null) => Failure.BadRequest(code, detail, field).ToProblem();

    public static ProblemHttpResult NotFound(string code, string detail) => Failure.NotFound(code, detail).ToProblem();

    public static ProblemHttpResult Unprocessable(string code, string detail, string? field = null) => Failure.Unprocessable(code, detail, field).ToProblem();

    /// <summary>For places outside endpoint handlers (middleware, auth events, the rate limiter).</summary>
    public static Task Write(HttpContext context, int status, string code, string title, string detail, CancellationToken cancellationToken) =>
        Write(context, new Failure(status, code, title, detail), cancellationToken);

    public static async Task Write(HttpContext context, Failure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(failure);
        context.Response.StatusCode = failure.Status;
        var problem = new Dictionary<string, object?>
        {
            ["type"] = TypeBase + failure.Code,
            ["title"] = failure.Title,
            ["status"] = failure.Status,
            ["detail"] = failure.Message,
        };
        foreach (var (key, value) in Extensions(failure))
        {
            problem[key] = value;
        }

        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken);
    }

    private static IEnumerable<KeyValuePair<string, object?>> Extensions(Failure failure)
    {
        yield return new("code", failure.Code);
        if (failure.Field is not null)
        {
            yield return new("field", failure.Field);
        }

        foreach (var extension in failure.Extensions ?? new Dictionary<string, object?>())
        {
            yield return extension;
        }
    }
}
