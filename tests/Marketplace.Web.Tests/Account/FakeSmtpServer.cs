using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Marketplace.Web.Tests.Account;

/// <summary>
/// Just enough of an SMTP server on a loopback port for MailKit to deliver to: EHLO, AUTH PLAIN/LOGIN (when a
/// password is set), MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS. Every accepted message is kept, parsed.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<MimeMessage> _messages = [];
    private readonly List<string> _logins = [];
    private readonly Task _accepting;

    public FakeSmtpServer(string? username = null, string? password = null)
    {
        Username = username;
        Password = password;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string? Username { get; }

    public string? Password { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<MimeMessage> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    /// <summary>The user names that authenticated successfully.</summary>
    public IReadOnlyList<string> Logins
    {
        get
        {
            lock (_logins)
                return [.. _logins];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake-smtp ready");
            var authenticated = Password is null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake-smtp");
                        await writer.WriteLineAsync(Password is null ? "250 8BITMIME" : "250-8BITMIME");
                        if (Password is not null)
                            await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 fake-smtp");
                        break;
                    case "AUTH":
                        authenticated = await AuthenticateAsync(line, reader, writer);
                        break;
                    case "MAIL":
                        await writer.WriteLineAsync(authenticated ? "250 OK" : "530 Authentication required");
                        break;
                    case "RCPT":
                        await writer.WriteLineAsync(authenticated ? "250 OK" : "530 Authentication required");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        using (var message = new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())))
                        {
                            var parsed = await MimeMessage.LoadAsync(message, _stop.Token);
                            lock (_messages)
                                _messages.Add(parsed);
                        }

                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
    }

    private async Task<bool> AuthenticateAsync(string line, StreamReader reader, StreamWriter writer)
    {
        var parts = line.Split(' ');
        string? user;
        string? password;
        if (parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var encoded = parts.Length > 2 ? parts[2] : await PromptAsync(reader, writer, string.Empty);
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(encoded)).Split('\0');
            (user, password) = (fields[1], fields[2]);
        }
        else
        {
            user = Encoding.UTF8.GetString(Convert.FromBase64String(await PromptAsync(reader, writer, "Username:")));
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await PromptAsync(reader, writer, "Password:")));
        }

        if (user == Username && password == Password)
        {
            lock (_logins)
                _logins.Add(user!);
            await writer.WriteLineAsync("235 Authentication successful");
            return true;
        }

        await writer.WriteLineAsync("535 Authentication failed");
        return false;
    }

    private async Task<string> PromptAsync(StreamReader reader, StreamWriter writer, string prompt)
    {
        await writer.WriteLineAsync("334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(prompt)));
        return await reader.ReadLineAsync(_stop.Token) ?? string.Empty;
    }
}
