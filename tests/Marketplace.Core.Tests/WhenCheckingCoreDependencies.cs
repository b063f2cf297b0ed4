using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Marketplace.Core.Tests;

// architecture.md: "Core never references Web" — the product must work without HTTP pages, so Core builds on the
// Microsoft.Extensions abstractions only, never on ASP.NET Core (not even its HttpContext).
public sealed class WhenCheckingCoreDependencies
{
    [Theory]
    [InlineData("Marketplace.Web")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Microsoft.AspNetCore.Http")]
    [InlineData("Microsoft.AspNetCore.Mvc")]
    [InlineData("Microsoft.AspNetCore.Razor")]
    public void Core_does_not_reference(string forbiddenPrefix)
    {
        var references = typeof(CoreServiceCollectionExtensions).Assembly.GetReferencedAssemblies();

        var offending = references
            .Select(reference => reference.Name ?? "")
            .Where(name => name.StartsWith(forbiddenPrefix, StringComparison.Ordinal))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Core_uses_no_type_of_asp_net_core_not_even_HttpContext()
    {
        var used = TypesCoreUses();

        // The scan sees what Core does use, so an empty result below is not a scan that read nothing.
        Assert.Contains("Microsoft.EntityFrameworkCore.DbContext", used);
        Assert.DoesNotContain(used, name => name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.DoesNotContain(used, name => name.EndsWith(".HttpContext", StringComparison.Ordinal) || name.EndsWith(".HttpRequest", StringComparison.Ordinal));
    }

    /// <summary>Every type Core's compiled code refers to from another assembly, by full name.</summary>
    private static HashSet<string> TypesCoreUses()
    {
        using var stream = File.OpenRead(typeof(CoreServiceCollectionExtensions).Assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.TypeReferences
            .Select(handle => metadata.GetTypeReference(handle))
            .Select(type => $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}")
            .ToHashSet(StringComparer.Ordinal);
    }
}
