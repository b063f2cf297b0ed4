using Marketplace.Core.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Web.Auth;

/// <summary>
/// The data-protection key ring's own view of the database, as the Entity Framework store requires: the one table
/// Core's migrations create for it (<see cref="DataProtectionKeyRecord"/>), and nothing else.
/// </summary>
public sealed class DataProtectionKeysDb(DbContextOptions<DataProtectionKeysDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DataProtectionKey>().ToTable(DataProtectionKeyRecord.Table);
}
