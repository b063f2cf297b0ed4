using Marketplace.Core.Persistence;
using MimeKit;

namespace Marketplace.Core.Mail;

/// <summary>Writes each message as an .eml file (what a mail server would receive), for Development without SMTP.</summary>
public sealed class PickupDirectoryMailSender(DatabaseSettings database, TimeProvider clock) : IMailSender
{
    /// <summary>The mailbox: <c>mail</c> in the data directory.</summary>
    public static string FolderIn(DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Path.Combine(database.DataDirectory, "mail");
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var folder = FolderIn(database);
        Directory.CreateDirectory(folder);
        // Sortable by time, unique without coordination; written aside and moved so a reader never sees half a message.
        var name = $"{clock.GetUtcNow():yyyyMMdd'T'HHmmssfffffff'Z'}-{Guid.NewGuid():N}.eml";
        var temporary = Path.Combine(folder, name + ".tmp");
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(folder, name));
    }

    /// <summary>The mailbox, newest first (the /dev/mail page reads it).</summary>
    public static IReadOnlyList<FileInfo> Messages(DatabaseSettings database, int limit)
    {
        var folder = new DirectoryInfo(FolderIn(database));
        return folder.Exists
            ? folder.GetFiles("*.eml").OrderByDescending(f => f.Name, StringComparer.Ordinal).Take(limit).ToList()
            : [];
    }
}
