using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Marketplace.E2E.Instances;

/// <summary>
/// One app instance as its own process: the built <c>Marketplace.Web.dll</c> on real Kestrel at a loopback port, with
/// the environment the test gives it and nothing of the test host's own. Everything it writes is kept for messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private AppProcess(string name, int port, Process process)
    {
        Name = name;
        Port = port;
        _process = process;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppProcess Start(string name, int port, IReadOnlyDictionary<string, string> settings)
    {
        var app = AppDirectory();
        var start = new ProcessStartInfo(Dotnet()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = app };
        start.ArgumentList.Add(Path.Combine(app, "Marketplace.Web.dll"));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("TEST_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = start };
        var instance = new AppProcess(name, port, process);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    /// <summary>Waits until the instance answers /readyz with 200 (it has migrated and is serving).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>kill -9: no shutdown, no finishing of anything in flight.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The web app's own build output for the configuration these tests were built in.</summary>
    private static string AppDirectory()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var app = Path.Combine(dir.FullName, "Marketplace.Web", "bin", configuration, "net10.0");
            if (File.Exists(Path.Combine(dir.FullName, "Marketplace.sln")) && File.Exists(Path.Combine(app, "Marketplace.Web.dll")))
            {
                return app;
            }
        }

        throw new InvalidOperationException("The built Marketplace.Web.dll was not found above " + AppContext.BaseDirectory);
    }

    private static string Dotnet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
