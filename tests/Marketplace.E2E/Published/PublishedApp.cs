using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marketplace.E2E.Published;

/// <summary>
/// What the Docker image does, without Docker: <c>dotnet publish</c> into a temp folder (reusing the wwwroot the
/// build already produced, as the image reuses its node stage), then <c>dotnet Marketplace.Web.dll</c> as a child
/// process with the environment the Dockerfile sets, the /data volume being a temp folder.
/// </summary>
public sealed class PublishedApp : IAsyncDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("marketplace-published-");
    private readonly StringBuilder _output = new();
    private Process? _process;

    private PublishedApp(int port)
    {
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseUrl { get; }

    public string PublishDirectory => Path.Combine(_root.FullName, "app");

    public string DataDirectory => Path.Combine(_root.FullName, "data");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>The Dockerfile's ENV, with /data and the port replaced by the test's own.</summary>
    public Dictionary<string, string> Environment => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_HTTP_PORTS"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The test's client plays the TLS-terminating proxy, from loopback.
        ["FORWARDED_PROXIES"] = "127.0.0.1",
        ["PUBLIC_BASE_URL"] = "https://shop.example.test",
        ["ConnectionStrings__Marketplace"] = $"Data Source={Path.Combine(DataDirectory, "marketplace.db")}",
        ["Storage__DataDirectory"] = DataDirectory,
        ["Logging__Format"] = "json",
        ["Hosting__ShutdownTimeout"] = "00:00:30",
    };

    public static async Task<PublishedApp> PublishAsync()
    {
        var app = new PublishedApp(FreeLoopbackPort());
        var project = Path.Combine(RepositoryRoot(), "Marketplace.Web", "Marketplace.Web.csproj");
        var (exitCode, output) = await RunToEndAsync(Dotnet(), ["publish", project, "-c", "Release", "-o", app.PublishDirectory, "-p:SkipWwwrootBuild=true", "-nologo"], null, PublishTimeout);
        Assert.True(exitCode == 0, $"dotnet publish failed ({exitCode}):\n{output}");
        return app;
    }

    public void Start()
    {
        Directory.CreateDirectory(DataDirectory);
        var start = StartInfo(Dotnet(), [Path.Combine(PublishDirectory, "Marketplace.Web.dll")], Environment);
        start.WorkingDirectory = PublishDirectory;
        _process = Process.Start(start) ?? throw new InvalidOperationException("The published app did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Runs <c>dotnet Marketplace.Web.dll admin …</c> with the image's environment, as an operator would with docker exec.</summary>
    public async Task<(int ExitCode, string Output)> RunAdminCommandAsync(params string[] args) =>
        await RunToEndAsync(Dotnet(), [Path.Combine(PublishDirectory, "Marketplace.Web.dll"), "admin", .. args], Environment, TimeSpan.FromSeconds(60));

    /// <summary>Runs the image's HEALTHCHECK command against this app and returns its exit code.</summary>
    public async Task<int> RunHealthCheckAsync(string path)
    {
        var (exitCode, _) = await RunToEndAsync(Dotnet(), [Path.Combine(PublishDirectory, "Marketplace.Web.dll"), "--healthcheck", path], Environment, TimeSpan.FromSeconds(60));
        return exitCode;
    }

    /// <summary>What <c>docker stop</c> does first: SIGTERM, then wait.</summary>
    public async Task<int> StopAsync(TimeSpan patience)
    {
        var process = _process ?? throw new InvalidOperationException("Not started.");
        var (signalled, output) = await RunToEndAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, TimeSpan.FromSeconds(10));
        Assert.True(signalled == 0, $"kill -TERM failed: {output}");
        using var timeout = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is not worth failing a test for.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string file, string[] args, Dictionary<string, string>? environment, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(file, args, environment)) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(string file, string[] args, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Nothing of the test host's own hosting settings may leak into the app (ASPNETCORE_URLS would override the port).
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? [])
            start.Environment[key] = value;
        return start;
    }

    private static string Dotnet() => System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Marketplace.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
