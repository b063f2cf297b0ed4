using System.Globalization;

namespace Marketplace.Web.Hosting;

/// <summary>
/// <c>dotnet Marketplace.Web.dll --healthcheck [path]</c>: the container's HEALTHCHECK. The ASP.NET runtime image
/// carries no curl or wget, so the app probes itself: GET http://127.0.0.1:&lt;first of ASPNETCORE_HTTP_PORTS, else
/// 8080&gt;&lt;path, default /healthz&gt;, exit code 0 on a 2xx answer and 1 otherwise. It starts no host.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--healthcheck";

    public static bool IsRequested(string[] args) => args is [Argument, ..];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var path = args.Length > 1 ? args[1] : "/healthz";
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS");
        var port = ports?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            await Console.Error.WriteLineAsync($"ASPNETCORE_HTTP_PORTS '{ports}' does not start with a port number.");
            return 2;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{number}{path}"));
            await Console.Out.WriteLineAsync($"{path}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{path}: {ex.Message}");
            return 1;
        }
    }
}
