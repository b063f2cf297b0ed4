using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Marketplace.Testing;

/// <summary>
/// Debian's nginx running the repository's deploy/nginx.conf, with only what a test must change substituted: the two
/// upstreams become loopback ports, it listens on a free loopback port, serves a self-signed certificate made here,
/// and keeps its pid and temp files in a throwaway prefix. Every substitution must find its text, so a change to the
/// deploy file that the test no longer matches fails loudly instead of testing something else.
/// </summary>
public sealed class NginxBalancer : IDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    private static readonly string[] TempPaths = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"];

    private readonly DirectoryInfo _prefix;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly byte[] _certificateHash;

    private NginxBalancer(DirectoryInfo prefix, Process process, int port, byte[] certificateHash)
    {
        _prefix = prefix;
        _process = process;
        Port = port;
        _certificateHash = certificateHash;
        Origin = new Uri($"https://127.0.0.1:{port}");
    }

    public int Port { get; }

    /// <summary>https://127.0.0.1:&lt;port&gt;: what the instances must have as PUBLIC_BASE_URL.</summary>
    public Uri Origin { get; }

    /// <summary>What nginx wrote (access and error log) so far, for failure messages.</summary>
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

    /// <summary>A free loopback port, for nginx and for the instances behind it.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts nginx in front of the instances on <paramref name="firstPort"/> and <paramref name="secondPort"/> once its configuration tests clean.</summary>
    public static async Task<NginxBalancer> StartAsync(int port, int firstPort, int secondPort)
    {
        var deploy = DeployDirectory();
        var prefix = Directory.CreateTempSubdirectory("marketplace-nginx-");
        var tls = prefix.CreateSubdirectory("tls");
        var certificateHash = WriteCertificate(tls.FullName);
        File.Copy(Path.Combine(deploy, "marketplace-proxy.conf"), Path.Combine(prefix.FullName, "marketplace-proxy.conf"));

        var config = File.ReadAllText(Path.Combine(deploy, "nginx.conf"));
        config = Substitute(config, "server app1:8080", $"server 127.0.0.1:{firstPort}");
        config = Substitute(config, "server app2:8080", $"server 127.0.0.1:{secondPort}");
        config = Substitute(config, "listen 80;", $"listen 127.0.0.1:{FreeLoopbackPort()};");
        config = Substitute(config, "listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;");
        config = Substitute(config, "/etc/nginx/tls/", tls.FullName + "/");
        config = Substitute(config, "/etc/nginx/marketplace-proxy.conf", Path.Combine(prefix.FullName, "marketplace-proxy.conf"));
        var temp = string.Join('\n', TempPaths.Select(t => $"    {t}_temp_path {prefix.FullName}/{t};"));
        config = Substitute(config, "http {\n", "http {\n" + temp + "\n");
        var file = Path.Combine(prefix.FullName, "nginx.conf");
        File.WriteAllText(file, config);

        // As root, nginx's workers would switch to a user who cannot enter the prefix; they stay root here instead.
        var globals = $"daemon off; pid {prefix.FullName}/nginx.pid;" + (Environment.UserName == "root" ? " user root;" : string.Empty);
        var test = await RunAsync(["-t", "-p", prefix.FullName, "-c", file, "-g", globals]);
        if (test.ExitCode != 0)
        {
            throw new InvalidOperationException($"nginx -t refused the deploy configuration:\n{test.Output}\n{config}");
        }

        var process = new Process { StartInfo = Start(["-p", prefix.FullName, "-c", file, "-g", globals]) };
        var balancer = new NginxBalancer(prefix, process, port, certificateHash);
        process.OutputDataReceived += (_, e) => balancer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => balancer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await balancer.WaitUntilListeningAsync();
        return balancer;
    }

    /// <summary>A client for the balancer's origin that trusts its certificate (and no other) and keeps cookies.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            CookieContainer = cookies ?? new CookieContainer(),
            UseCookies = true,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(_certificateHash),
        })
        {
            BaseAddress = Origin,
        };

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _prefix.Delete(recursive: true);
    }

    private static string Substitute(string config, string find, string replacement) =>
        config.Contains(find, StringComparison.Ordinal)
            ? config.Replace(find, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"deploy/nginx.conf no longer contains '{find}', which the test substitutes.");

    private static string DeployDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var deploy = Path.Combine(directory.FullName, "deploy");
            if (File.Exists(Path.Combine(deploy, "nginx.conf")))
            {
                return deploy;
            }
        }

        throw new InvalidOperationException("No deploy/nginx.conf above " + AppContext.BaseDirectory);
    }

    /// <summary>A self-signed certificate for 127.0.0.1, as nginx reads it; returns its SHA-256 hash.</summary>
    private static byte[] WriteCertificate(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(directory, "fullchain.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "privkey.pem"), rsa.ExportPkcs8PrivateKeyPem());
        return certificate.GetCertHash(HashAlgorithmName.SHA256);
    }

    private static ProcessStartInfo Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments)
    {
        using var process = Process.Start(Start(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
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

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
