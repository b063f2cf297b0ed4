using Marketplace.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace Marketplace.Web.Api;

/// <summary>
/// Reads a form body ourselves (the seller's listing endpoints: a file can only travel in multipart/form-data), so that
/// every way it can be wrong becomes a problem with its own code: not a form → 415, unreadable multipart → 400
/// <c>malformed_body</c>, past a limit → 413, a field or the file given twice → 400. Never the framework's bare 400 or a 500.
/// </summary>
public sealed class ApiForm
{
    private readonly IFormCollection _form;

    private ApiForm(IFormCollection form) => _form = form;

    /// <summary>The one file a listing takes, from the field named <c>file</c>; null when none was chosen (a browser then sends an empty, nameless part).</summary>
    public IFormFile? File { get; private init; }

    public static async Task<(ApiForm? Form, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send a form", "The body must be multipart/form-data (to send a file) or application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, ErrorHandlingExtensions.UnreadableBody(request.HttpContext, ex));
        }

        foreach (var name in fields)
        {
            if (form[name].Count > 1)
            {
                return (null, ApiProblems.BadRequest("duplicate_field", $"The field '{name}' was sent more than once; send it once.", name));
            }
        }

        var files = form.Files;
        if (files.Count > 1 || files.Any(f => !string.Equals(f.Name, "file", StringComparison.Ordinal)))
        {
            return (null, ApiProblems.BadRequest("unexpected_file", "Send at most one file, in the field named 'file'.", "file"));
        }

        return (new ApiForm(form) { File = files.Count == 1 && !(files[0].Length == 0 && string.IsNullOrEmpty(files[0].FileName)) ? files[0] : null }, null);
    }

    /// <summary>A text field as sent, or null when it was left out.</summary>
    public string? Text(string name) => _form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : _form.ContainsKey(name) ? string.Empty : null;

    /// <summary>A yes/no field: "true" or "on" (a browser's checked box) is true, "false" or nothing false; anything else null.</summary>
    public bool? Flag(string name) => Text(name) switch
    {
        null or "" => false,
        var text when text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("on", StringComparison.OrdinalIgnoreCase) => true,
        var text when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        _ => null,
    };
}
