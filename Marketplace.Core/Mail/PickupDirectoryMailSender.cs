using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>Writes each message as an .eml file (what a mail server would receive), for Development without SMTP.</summary>
public sealed class PickupDirectoryMailSender(MailOptions options, TimeProvider clock) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(options.PickupDirectory);
        // Sortable by time, unique without coordination; written aside and moved so a reader never sees half a message.
        var name = $"{clock.GetUtcNow():yyyyMMdd'T'HHmmssfffffff'Z'}-{Guid.NewGuid():N}.eml";
        var temporary = Path.Combine(options.PickupDirectory, name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(options.PickupDirectory, name));
    }

    /// <summary>The mailbox, newest first (the /dev/mail page reads it).</summary>
    public static IReadOnlyList<FileInfo> Messages(MailOptions options, int limit)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = new DirectoryInfo(options.PickupDirectory);
        return folder.Exists
            ? folder.GetFiles("*.eml").OrderByDescending(f => f.Name, StringComparer.Ordinal).Take(limit).ToList()
            : [];
    }
}
