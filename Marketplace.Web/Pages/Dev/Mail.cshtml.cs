using System.Text.RegularExpressions;
using Marketplace.Core.Mail;
using Marketplace.Core.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;

namespace Marketplace.Web.Pages.Dev;

/// <summary>
/// The Development mailbox: the .eml files the app wrote instead of sending, with their links, so verification
/// works on a laptop without a mail server. Outside Development this page does not exist (404).
/// </summary>
public sealed partial class MailModel(IWebHostEnvironment environment, MailOptions options, DatabaseSettings database) : PageModel
{
    public const int MaxMessages = 50;

    public sealed record MessageView(string File, string To, string Subject, DateTimeOffset Date, string Text, IReadOnlyList<string> Links);

    public string? SmtpHost => options.UsesSmtp ? $"{options.SmtpHost}:{options.SmtpPort}" : null;

    public string Folder => PickupDirectoryMailSender.FolderIn(database);

    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!environment.IsDevelopment())
        {
            return NotFound();
        }

        var messages = new List<MessageView>();
        foreach (var file in PickupDirectoryMailSender.Messages(database, MaxMessages))
        {
            var message = await MimeMessage.LoadAsync(file.FullName, HttpContext.RequestAborted);
            var text = message.TextBody ?? string.Empty;
            messages.Add(new MessageView(
                file.Name,
                string.Join(", ", message.To.Mailboxes.Select(m => m.Address)),
                message.Subject ?? string.Empty,
                message.Date.ToUniversalTime(),
                text,
                Link().Matches(text).Select(m => m.Value).ToList()));
        }

        Messages = messages;
        return Page();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}
