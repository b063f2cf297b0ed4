namespace Marketplace.Core.Identity;

/// <summary>
/// A secret kept in a file that is created once, by whichever of several instances starting together gets there first.
/// The file is created on its final name with O_CREAT|O_EXCL (<see cref="FileMode.CreateNew"/>), which exactly one
/// creator wins on any local file system, and written under an exclusive lock; the others read it once the lock is
/// gone. (Writing a temporary file and moving it into place is not atomic everywhere: without hard links, .NET's
/// no-overwrite move falls back to "check, then rename", and two instances ended up with two keys.)
/// </summary>
internal static class KeyFile
{
    private const int MaxWaits = 500;
    private static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(10);

    /// <summary>The file's text, creating it with <paramref name="create"/>'s text first if there is none yet.</summary>
    public static string ReadOrCreate(string path, Func<string> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            var text = create();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
                stream.Flush(flushToDisk: true);
                return text;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance created it first; read theirs below.
            }
        }

        return ReadWhole(path);
    }

    // While its creator writes, the file is locked (a read fails at once) or, for an instant before the lock, empty.
    private static string ReadWhole(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                using var reader = new StreamReader(stream);
                var text = reader.ReadToEnd();
                if (text.Length > 0 || attempt >= MaxWaits)
                {
                    return text;
                }
            }
            catch (IOException) when (attempt < MaxWaits && File.Exists(path))
            {
            }

            Thread.Sleep(Wait);
        }
    }
}
