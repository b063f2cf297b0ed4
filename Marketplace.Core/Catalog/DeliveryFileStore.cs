using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Core.Persistence;

namespace Marketplace.Core.Catalog;

/// <summary>A stored delivery file as it is recorded on its product.</summary>
/// <param name="Name">The download name, sanitised (<see cref="DeliveryFileTypes.SafeName"/>).</param>
/// <param name="ContentType">The type its bytes were found to be (<see cref="DeliveryFileTypes"/>).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of its bytes.</param>
public sealed record DeliveryFile(Guid Id, string Name, string ContentType, long SizeBytes, string Sha256);

/// <summary>A file a seller sends: its bytes and the name their browser gave it (a claim, checked before it is kept).</summary>
public sealed record DeliveryUpload(Stream Content, string? FileName);

public abstract record StoreResult
{
    private StoreResult()
    {
    }

    public sealed record Stored(DeliveryFile File) : StoreResult;

    public sealed record TooLarge(long MaxBytes) : StoreResult;

    public sealed record Refused(string Code, string Message) : StoreResult;
}

/// <summary>
/// Delivery files on disk, in <c>files</c> under the data directory (<see cref="FolderIn"/>), each named by an id the server generates: no
/// part of a path ever comes from a user. A file is written under a temporary name while it is hashed, measured and its
/// type checked, and moved to its final name only once accepted, so a refused or broken upload leaves nothing behind.
/// </summary>
public sealed class DeliveryFileStore(DeliveryOptions options, DatabaseSettings database)
{
    private const int ChunkBytes = 81920;

    private readonly string _folder = FolderIn(database);

    /// <summary>The folder: <c>files</c> in the data directory, so it is backed up with the database.</summary>
    public static string FolderIn(DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return Path.Combine(database.DataDirectory, "files");
    }

    public long MaxFileBytes => options.MaxFileBytes;

    public string PathOf(Guid fileId) => Path.Combine(_folder, fileId.ToString("N"));

    public async Task<StoreResult> StoreAsync(DeliveryUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var name = DeliveryFileTypes.SafeName(upload.FileName);
        if (name is null)
        {
            return new StoreResult.Refused("invalid_file_name", "The file has no usable name; give it a name such as icons.zip.");
        }

        var expected = DeliveryFileTypes.ForName(name);
        var mustBeText = expected?.Signature is DeliveryFileTypes.Signature.Text or DeliveryFileTypes.Signature.Svg;
        Directory.CreateDirectory(_folder);
        var id = Guid.NewGuid();
        var part = PathOf(id) + ".part";
        var kept = false;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var head = new byte[DeliveryFileTypes.HeadLength];
            var headLength = 0;
            long size = 0;
            var isText = mustBeText;
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(part, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous }))
            {
                int read;
                while ((read = await upload.Content.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
                {
                    size += read;
                    if (size > options.MaxFileBytes)
                    {
                        return new StoreResult.TooLarge(options.MaxFileBytes);
                    }

                    var chunk = buffer.AsSpan(0, read);
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(head.Length - headLength, read);
                        chunk[..take].CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    hash.AppendData(chunk);
                    isText = isText && IsText(utf8, chunk, flush: false);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }

            if (size == 0)
            {
                return new StoreResult.Refused("empty_file", $"“{name}” is empty; choose the file the buyer should get.");
            }

            var contentType = DeliveryFileTypes.OctetStream;
            if (expected is not null)
            {
                isText = isText && IsText(utf8, [], flush: true);
                if (!DeliveryFileTypes.Matches(expected.Signature, head.AsSpan(0, headLength)) || (mustBeText && !isText))
                {
                    var actual = DeliveryFileTypes.Describe(head.AsSpan(0, headLength));
                    return new StoreResult.Refused(
                        "file_type_mismatch",
                        $"The name “{name}” says it is {expected.Description}, but its contents {(actual is null ? "are not" : "are")} {actual?.Description ?? expected.Description}. Upload the right file, or give it the right name.");
                }

                contentType = expected.ContentType;
            }

            File.Move(part, PathOf(id));
            kept = true;
            return new StoreResult.Stored(new DeliveryFile(id, name, contentType, size, Convert.ToHexStringLower(hash.GetHashAndReset())));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!kept)
            {
                File.Delete(part);
            }
        }
    }

    /// <summary>Removes a file no product names any more; one already gone is fine.</summary>
    public void Delete(Guid fileId) => File.Delete(PathOf(fileId));

    // UTF-8 throughout (a sequence may straddle two chunks: the decoder carries it over) and no NUL byte.
    private static bool IsText(Decoder utf8, ReadOnlySpan<byte> chunk, bool flush)
    {
        if (chunk.Contains((byte)0))
        {
            return false;
        }

        try
        {
            utf8.GetCharCount(chunk, flush);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
