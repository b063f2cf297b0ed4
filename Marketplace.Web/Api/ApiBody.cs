using System.Text.Json;
using Marketplace.Core.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Web.Api;

/// <summary>
/// Reads a JSON request body ourselves, so that every way a body can be wrong (not JSON, wrong
/// types, too large, wrong content type) becomes a 400/413/415 problem with its own code rather
/// than the framework's bare 400 or a 500.
/// </summary>
public static class ApiBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions json)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send JSON", "The body must be application/json."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, ApiProblems.BadRequest("malformed_json", "The request body is empty; send a JSON object."));
        }

        if (JsonText.Check(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) == JsonTextCheck.NotUnicode)
        {
            return (null, NotUnicode());
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.ToArray(), json);
            return value is null
                ? (null, ApiProblems.BadRequest("malformed_json", "The request body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? string.Empty : $" at '{ex.Path.TrimStart('$', '.')}'";
            return (null, ApiProblems.BadRequest("malformed_json", $"The body is not valid JSON for this request{where}: check the syntax and that amounts are strings."));
        }
    }

    /// <summary>The one answer to text that is not Unicode, wherever it sits (a body, a webhook, a signed intent).</summary>
    public static ProblemHttpResult NotUnicode(string? field = null) =>
        ApiProblems.BadRequest("malformed_json", "The text is not valid Unicode: send UTF-8 without unpaired surrogates (\\ud800 alone is not a character).", field);

    private static ProblemHttpResult TooLarge() =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Request too large", $"The body must be at most {MaxBytes} bytes.");
}
