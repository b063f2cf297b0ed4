using Marketplace.Core.Admin;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin.Users;

public sealed class IndexModel(UserDirectory users) : PageModel
{
    public string? Query { get; private set; }

    public IReadOnlyList<UserSummary> Results { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = q is { Length: > UserDirectory.MaxQueryLength } ? q[..UserDirectory.MaxQueryLength] : q;
        Results = await users.SearchAsync(Query, cancellationToken);
    }
}
