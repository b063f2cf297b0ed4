using System.Text;
using Marketplace.Core.Identity;

namespace Marketplace.Core.Tests.Identity;

public sealed class WhenTheReceiptKeyIsLoaded : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "marketplace-core-tests", Guid.NewGuid().ToString("N"));

    private string KeyFile => ReceiptSigner.DefaultKeyFile(_directory);

    [Fact]
    public void The_first_start_creates_an_owner_only_key_file()
    {
        var signer = ReceiptSigner.LoadOrCreate(KeyFile);

        Assert.True(File.Exists(KeyFile));
        Assert.Equal(Path.Combine(_directory, "keys", "receipt-signing.key"), signer.Source);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(KeyFile)!, "*.tmp"));
    }

    [Fact]
    public void A_later_start_reuses_the_same_key()
    {
        var first = ReceiptSigner.LoadOrCreate(KeyFile);
        var signature = first.Sign("{\"order_id\":\"1\"}");

        var second = ReceiptSigner.LoadOrCreate(KeyFile);

        Assert.Equal(first.PublicKeyText, second.PublicKeyText);
        Assert.True(StrictBase64Url.TryDecode(signature, out var bytes));
        Assert.True(Ed25519.Verify(second.PublicKey, Encoding.UTF8.GetBytes("{\"order_id\":\"1\"}"), bytes));
    }

    [Fact]
    public void Different_data_directories_get_different_keys()
    {
        var other = Path.Combine(_directory, "other");

        Assert.NotEqual(ReceiptSigner.LoadOrCreate(KeyFile).PublicKeyText, ReceiptSigner.LoadOrCreate(ReceiptSigner.DefaultKeyFile(other)).PublicKeyText);
    }

    [Fact]
    public void Instances_starting_together_agree_on_one_key()
    {
        // Released together by a barrier, on threads of their own, so they race for the file for real.
        const int instances = 8;
        using var start = new Barrier(instances);
        var keys = new string[instances];
        var threads = Enumerable.Range(0, instances).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            keys[i] = ReceiptSigner.LoadOrCreate(KeyFile).PublicKeyText;
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Single(keys.Distinct());
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k)));
        Assert.Equal(keys[0], ReceiptSigner.LoadOrCreate(KeyFile).PublicKeyText);
    }

    [Fact]
    public void A_key_file_being_written_by_another_instance_is_read_once_it_is_whole()
    {
        var expected = ReceiptSigner.LoadOrCreate(Path.Combine(_directory, "elsewhere", "receipt-signing.key"));
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        var seed = File.ReadAllText(expected.Source);
        ReceiptSigner? read = null;
        Exception? failed = null;
        Thread reader;
        // The creator holds the new, still empty file exclusively, as KeyFile does while it writes.
        using (var creating = new FileStream(KeyFile, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            reader = new Thread(() =>
            {
                try
                {
                    read = ReceiptSigner.LoadOrCreate(KeyFile);
                }
                catch (InvalidOperationException ex)
                {
                    failed = ex;
                }
            });
            reader.Start();
            Assert.False(reader.Join(TimeSpan.FromMilliseconds(200)), "the reader waits while the file is locked");
            creating.Write(Encoding.ASCII.GetBytes(seed));
        }

        reader.Join();
        Assert.Null(failed);
        Assert.Equal(expected.PublicKeyText, read!.PublicKeyText);
    }

    [Fact]
    public void A_damaged_key_file_stops_the_start_with_its_name()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        File.WriteAllText(KeyFile, "not a key");

        var error = Assert.Throws<InvalidOperationException>(() => ReceiptSigner.LoadOrCreate(KeyFile));

        Assert.Contains(KeyFile, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
