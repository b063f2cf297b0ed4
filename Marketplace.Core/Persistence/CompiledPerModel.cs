using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Marketplace.Core.Persistence;

/// <summary>
/// A compiled query binds to the model it first runs against, and EF refuses to run it against another ("executed
/// with a different model than it was compiled against"). One process can hold several models: `db copy-to-postgres`
/// opens a SQLite and a PostgreSQL context, and tests run several hosts. So each model gets its own compiled query.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _queries = [];

    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var model = db.Model;
        return _queries.TryGetValue(model, out var query) ? query : _queries.GetValue(model, _ => compile());
    }
}
