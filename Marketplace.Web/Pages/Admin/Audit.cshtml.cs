using Marketplace.Core.Admin;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Marketplace.Web.Pages.Admin;

public sealed class AuditModel(AuditLog auditLog) : PageModel
{
    private const int PageSize = 100;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public long? NextBefore { get; private set; }

    public async Task OnGetAsync(long? before, CancellationToken cancellationToken)
    {
        Entries = await auditLog.RecentAsync(PageSize, before, cancellationToken);
        NextBefore = Entries.Count == PageSize ? Entries[^1].Id : null;
    }
}
