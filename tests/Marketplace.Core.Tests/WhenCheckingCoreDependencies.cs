namespace Marketplace.Core.Tests;

// architecture.md: "Core never references Web" — the product must work without HTTP pages.
public sealed class WhenCheckingCoreDependencies
{
    [Theory]
    [InlineData("Marketplace.Web")]
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
}
