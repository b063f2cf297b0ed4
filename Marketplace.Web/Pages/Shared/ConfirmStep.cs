namespace Marketplace.Web.Pages;

/// <summary>
/// A server-rendered "are you sure?" for an action that cannot be undone (issue 14, defect 7): the first post of the
/// action's form renders this instead of acting; its own form posts the same fields again with <see cref="Field"/>=yes.
/// No script involved, so it works with JS off and is announced like any page content (focus.js moves focus to it).
/// </summary>
/// <param name="Action">Where the confirming form posts: the handler the first post went to.</param>
/// <param name="Fields">The first post's fields, sent again unchanged.</param>
public sealed record ConfirmStep(string Heading, string Consequence, string Action, IReadOnlyList<KeyValuePair<string, string>> Fields, string ConfirmLabel, string BackUrl)
{
    public const string Field = "confirmed";

    /// <summary>Whether the bound <c>confirmed</c> form field says yes (bound by the handler, so a malformed form is just "no").</summary>
    public static bool IsConfirmed(string? confirmed) => confirmed == "yes";

    /// <summary>The URL the first post went to (path and query: the page handler and route values).</summary>
    public static string SameAction(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path + request.QueryString;
    }
}
