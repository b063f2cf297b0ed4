using System.Reflection;
using Marketplace.Core;

namespace Marketplace.Web.Tests.Hosting;

// Issue 11: the design card's packages replaced the stand-ins. BouncyCastle.Cryptography still ships, as MimeKit's
// own dependency (MailKit, for mail); none of our assemblies may use it, nor Portable.BouncyCastle or Quartz.
public sealed class WhenCheckingTheStack
{
    private static readonly Assembly[] Ours = [typeof(CoreServiceCollectionExtensions).Assembly, typeof(Program).Assembly];

    [Theory]
    [InlineData("BouncyCastle")]
    [InlineData("Quartz")]
    public void No_assembly_of_ours_references_a_replaced_stand_in(string replaced)
    {
        var offending = Ours
            .SelectMany(assembly => assembly.GetReferencedAssemblies().Select(reference => $"{assembly.GetName().Name} -> {reference.Name}"))
            .Where(edge => edge.Contains(replaced, StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.Empty(offending);
    }

    [Theory]
    [InlineData("NSec.Cryptography")]
    [InlineData("Stripe.net")]
    [InlineData("Hangfire.Core")]
    [InlineData("Hangfire.AspNetCore")]
    [InlineData("Htmx")]
    [InlineData("Microsoft.EntityFrameworkCore.Sqlite")]
    public void The_design_cards_packages_are_the_ones_in_use(string package)
    {
        var referenced = Ours.SelectMany(assembly => assembly.GetReferencedAssemblies()).Select(reference => reference.Name).ToHashSet();

        Assert.Contains(package, referenced);
    }
}
