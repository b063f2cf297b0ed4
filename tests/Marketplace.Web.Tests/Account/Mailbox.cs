using System.Text.RegularExpressions;
using MimeKit;

namespace Marketplace.Web.Tests.Account;

/// <summary>Reads what the app mailed: the .eml files of the Development pickup folder, or messages a fake SMTP server took.</summary>
public static partial class Mailbox
{
    public static IReadOnlyList<MimeMessage> Read(string pickupDirectory) =>
        Directory.Exists(pickupDirectory)
            ? Directory.GetFiles(pickupDirectory, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList()
            : [];

    public static IEnumerable<MimeMessage> To(this IEnumerable<MimeMessage> messages, string email) =>
        messages.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, email, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The verification link in a message (the only link verification mails carry).</summary>
    public static Uri VerificationLink(this MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = Link().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, $"No verification link in: {message.TextBody}");
        return new Uri(match.Value);
    }

    public static string Token(this Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return link.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("token=", StringComparison.Ordinal))["token=".Length..];
    }

    [GeneratedRegex(@"https?://[^\s]+/Account/Verify\?token=[A-Za-z0-9_-]+")]
    private static partial Regex Link();
}
