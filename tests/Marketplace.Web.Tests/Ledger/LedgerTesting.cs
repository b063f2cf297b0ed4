using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Ledger;
using Marketplace.Verify;
using Marketplace.Web.Tests.Wallet;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Ledger;

/// <summary>One JSON token of a file: where it sits (a path such as <c>transactions[2].entries[0].amount</c>) and which bytes hold its text.</summary>
public sealed record JsonToken(string Path, bool IsName, int Start, int Length);

/// <summary>Verifiable statements as a user gets them, the offline verifier run over them, and ways to edit their bytes.</summary>
public static class LedgerTesting
{
    /// <summary>Downloads the verifiable statement of yesterday to tomorrow (UTC), so a run across midnight still holds everything.</summary>
    public static async Task<byte[]> DownloadVerifiableStatementAsync(this WebShopper shopper, long? since = null)
    {
        ArgumentNullException.ThrowIfNull(shopper);
        using var response = await shopper.GetAsync(StatementPath(since));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The verifiable statement answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return body;
    }

    public static string StatementPath(long? since = null)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return $"/Wallet/Statement?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}&format=json"
            + (since is { } size ? $"&since={size.ToString(CultureInfo.InvariantCulture)}" : "");
    }

    /// <summary>The offline verifier's checks over these bytes, as <c>Marketplace.Verify statement.json …</c> runs them.</summary>
    public static (int ExitCode, string Output) Verify(byte[] statement, string? publicKey = null, byte[]? previousCheckpoint = null)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = StatementVerifier.Verify(statement, publicKey, previousCheckpoint, output);
        return (exitCode, output.ToString());
    }

    /// <summary>The check named by the verifier's FAIL line, or null when every check passed.</summary>
    public static string? FailedCheck(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("FAIL ", StringComparison.Ordinal));
        return line?[5..line.IndexOf(':', StringComparison.Ordinal)];
    }

    public static async Task<string> PublicKeyAsync(this MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var client = app.CreateBrowserClient();
        var body = JsonSerializer.Deserialize<JsonElement>(await client.GetStringAsync(new Uri("/api/receipts/public-key", UriKind.Relative)));
        return body.GetProperty("public_key").GetString()!;
    }

    /// <summary>What the checkpoint job does on its schedule.</summary>
    public static async Task<CheckpointResult> SignCheckpointAsync(this MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LedgerCheckpoints>().SignAsync();
    }

    /// <summary>The latest checkpoint exactly as a user would save it from GET /api/ledger/checkpoints/latest.</summary>
    public static async Task<byte[]> SaveLatestCheckpointAsync(this MarketplaceApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var client = app.CreateBrowserClient();
        using var response = await client.GetAsync(new Uri("/api/ledger/checkpoints/latest", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The tree_size inside a saved checkpoint file.</summary>
    public static long TreeSize(byte[] savedCheckpoint)
    {
        var checkpoint = JsonSerializer.Deserialize<JsonElement>(savedCheckpoint).GetProperty("checkpoint").GetString()!;
        return JsonSerializer.Deserialize<JsonElement>(checkpoint).GetProperty("tree_size").GetInt64();
    }

    /// <summary>Every property name and value of a JSON document with the bytes of its text (inside the quotes, for strings).</summary>
    public static List<JsonToken> Tokens(byte[] json)
    {
        var tokens = new List<JsonToken>();
        var frames = new Stack<(bool IsArray, string Path, int Index, string? Property)>();
        var reader = new Utf8JsonReader(json);
        string ValuePath() => frames.Count == 0 ? "" : frames.Peek() is var top && top.IsArray ? $"{top.Path}[{top.Index}]" : $"{top.Path}{(top.Path.Length == 0 ? "" : ".")}{top.Property}";
        void Next()
        {
            if (frames.Count > 0 && frames.Peek().IsArray)
            {
                var top = frames.Pop();
                frames.Push(top with { Index = top.Index + 1 });
            }
        }

        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    frames.Push((reader.TokenType == JsonTokenType.StartArray, ValuePath(), 0, null));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.Pop();
                    Next();
                    break;
                case JsonTokenType.PropertyName:
                    var top = frames.Pop();
                    frames.Push(top with { Property = reader.GetString() });
                    tokens.Add(new JsonToken(ValuePath(), true, start + 1, reader.ValueSpan.Length));
                    break;
                case JsonTokenType.String:
                    tokens.Add(new JsonToken(ValuePath(), false, start + 1, reader.ValueSpan.Length));
                    Next();
                    break;
                default:
                    tokens.Add(new JsonToken(ValuePath(), false, start, reader.ValueSpan.Length));
                    Next();
                    break;
            }
        }

        return tokens;
    }

    /// <summary>A copy with the byte at <paramref name="position"/> changed to another of its kind (digit to digit, letter to letter), else to 'x'.</summary>
    public static byte[] EditByte(byte[] file, int position)
    {
        ArgumentNullException.ThrowIfNull(file);
        var copy = file.ToArray();
        copy[position] = copy[position] switch
        {
            >= (byte)'0' and < (byte)'9' or >= (byte)'a' and < (byte)'z' or >= (byte)'A' and < (byte)'Z' => (byte)(copy[position] + 1),
            (byte)'9' => (byte)'0',
            (byte)'z' => (byte)'a',
            (byte)'Z' => (byte)'A',
            _ => (byte)'x',
        };
        return copy;
    }

    /// <summary>The value of the token at <paramref name="path"/>, then the first digit after <paramref name="marker"/> inside it (or its first byte).</summary>
    public static int PositionIn(byte[] file, string path, string? marker = null, bool lastByte = false)
    {
        var token = Tokens(file).Single(t => t.Path == path && !t.IsName);
        var text = Encoding.UTF8.GetString(file, token.Start, token.Length);
        if (lastByte)
        {
            return token.Start + token.Length - 1;
        }

        if (marker is null)
        {
            return token.Start;
        }

        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{path} has no '{marker}': {text}");
        while (!char.IsAsciiDigit(text[at]))
        {
            at++;
        }

        return token.Start + Encoding.UTF8.GetByteCount(text[..at]);
    }
}
