using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Core.Identity;

namespace Marketplace.Bench;

/// <summary>
/// Load against a running app (it starts nothing itself): registers one user per client over the JSON API, then
/// runs two timed phases with every client looping on its own connection: authenticated balance reads, then signed
/// purchases of one digital product. Prints throughput, p50, p99 and non-2xx answers for each, and the ratio.
/// </summary>
public sealed class LoadBench
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Uri _baseUrl;
    private readonly int _clients;
    private readonly TimeSpan _phase;
    private readonly Guid _productId;

    public LoadBench(Uri baseUrl, int clients, TimeSpan phase, Guid productId)
    {
        _baseUrl = baseUrl;
        _clients = clients;
        _phase = phase;
        _productId = productId;
    }

    public async Task<int> RunAsync()
    {
        Console.WriteLine($"target {_baseUrl}, {_clients} clients, {_phase.TotalSeconds:N0} s per phase, product {_productId}");
        var setup = Stopwatch.StartNew();
        var shoppers = await Task.WhenAll(Enumerable.Range(0, _clients).Select(_ => Shopper.RegisterAsync(_baseUrl)));
        var (price, productName) = await shoppers[0].ProductAsync(_productId);
        Console.WriteLine($"registered {shoppers.Length} users in {setup.Elapsed.TotalSeconds:F1} s; buying \"{productName}\" at {price} MC");

        // A short warm-up so JIT and connection set-up are not in the first phase's numbers.
        await RunPhaseAsync(shoppers, TimeSpan.FromSeconds(2), s => s.BalanceAsync());
        var reads = await RunPhaseAsync(shoppers, _phase, s => s.BalanceAsync());
        Print("GET /api/wallet/balance", reads);
        var purchases = await RunPhaseAsync(shoppers, _phase, s => s.BuyAsync(_productId, price));
        Print("POST /api/wallet/transact", purchases);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"purchases/reads ratio: {purchases.PerSecond / reads.PerSecond:F2}"));

        foreach (var shopper in shoppers)
        {
            shopper.Dispose();
        }

        return reads.ServerErrors + purchases.ServerErrors == 0 ? 0 : 1;
    }

    /// <summary>
    /// Registers one user, makes <paramref name="purchases"/> signed purchases so the wallet has history and orders,
    /// and returns the session's Cookie header for tools such as wrk (bench/run-reads.sh).
    /// </summary>
    public static async Task<string> SignInAsync(Uri baseUrl, Guid productId, int purchases)
    {
        using var shopper = await Shopper.RegisterAsync(baseUrl);
        var (price, _) = await shopper.ProductAsync(productId);
        for (var i = 0; i < purchases; i++)
        {
            var status = await shopper.BuyAsync(productId, price);
            if ((int)status >= 300)
            {
                throw new InvalidOperationException($"Purchase {i + 1} answered {(int)status}.");
            }
        }

        return shopper.CookieHeader;
    }

    private static void Print(string name, PhaseResult result)
    {
        var statuses = string.Join(", ", result.Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value:N0}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-28} {result.Count,8:N0} in {result.Elapsed.TotalSeconds:F1} s = {result.PerSecond,7:N0}/s   p50 {result.Percentile(50),6:F1} ms   p99 {result.Percentile(99),7:F1} ms   statuses: {statuses}"));
    }

    private static async Task<PhaseResult> RunPhaseAsync(Shopper[] shoppers, TimeSpan duration, Func<Shopper, Task<HttpStatusCode>> operation)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var perClient = await Task.WhenAll(shoppers.Select(shopper => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            var statuses = new Dictionary<int, int>();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var before = Stopwatch.GetTimestamp();
                var status = await operation(shopper);
                latencies.Add(Stopwatch.GetTimestamp() - before);
                statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
            }

            return (latencies, statuses);
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = perClient.SelectMany(c => c.latencies).ToArray();
        Array.Sort(all);
        var merged = new Dictionary<int, int>();
        foreach (var (status, count) in perClient.SelectMany(c => c.statuses))
        {
            merged[status] = merged.GetValueOrDefault(status) + count;
        }

        return new PhaseResult(all, elapsed, merged);
    }

    private sealed record PhaseResult(long[] SortedTicks, TimeSpan Elapsed, Dictionary<int, int> Statuses)
    {
        public int Count => SortedTicks.Length;

        public double PerSecond => Count / Elapsed.TotalSeconds;

        public int ServerErrors => Statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

        public double Percentile(int p) => Count == 0
            ? 0
            : SortedTicks[Math.Min(Count - 1, (int)Math.Ceiling(p / 100.0 * Count) - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>One signed-in user with its own cookies, CSRF token and connection, as one browser would have.</summary>
    private sealed class Shopper : IDisposable
    {
        private readonly HttpClient _http;
        private readonly CookieContainer _cookies = new();
        private readonly byte[] _seed;
        private readonly string _publicKey;
        private readonly string _audience;
        private string _csrf = string.Empty;

        private Shopper(Uri baseUrl)
        {
            var handler = new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
            var pair = Ed25519.Generate();
            _seed = pair.PrivateKeySeed;
            _publicKey = Encode(pair.PublicKey);
            _audience = baseUrl.GetLeftPart(UriPartial.Authority);
        }

        public string CookieHeader => _cookies.GetCookieHeader(_http.BaseAddress!);

        public static async Task<Shopper> RegisterAsync(Uri baseUrl)
        {
            var shopper = new Shopper(baseUrl);
            await shopper.RefreshCsrfAsync();
            var email = $"load-{Guid.NewGuid():N}@bench.example";
            var challenge = await shopper.PostAsync("/api/auth/challenge", new { email, purpose = "register" });
            var text = challenge.GetProperty("challenge").GetString()!;
            await shopper.PostAsync("/api/auth/register", new
            {
                email,
                display_name = "Load bench",
                public_key = shopper._publicKey,
                challenge = text,
                signature = Encode(Ed25519.Sign(shopper._seed, Encoding.UTF8.GetBytes(text))),
            });
            // The antiforgery token is bound to the signed-in user.
            await shopper.RefreshCsrfAsync();
            return shopper;
        }

        public async Task<(string Price, string Name)> ProductAsync(Guid productId)
        {
            var product = await _http.GetFromJsonAsync<JsonElement>($"/api/products/{productId}");
            return (product.GetProperty("price").GetString()!, product.GetProperty("name").GetString()!);
        }

        public async Task<HttpStatusCode> BalanceAsync()
        {
            using var response = await _http.GetAsync(new Uri("/api/wallet/balance", UriKind.Relative));
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode;
        }

        public async Task<HttpStatusCode> BuyAsync(Guid productId, string price)
        {
            var nonce = Encode(RandomNumberGenerator.GetBytes(16));
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var intent = $"{{\"action\":\"spend\",\"amount\":\"{price}\",\"currency\":\"MC\",\"product_id\":\"{productId}\",\"quantity\":1,\"timestamp\":{timestamp},\"nonce\":\"{nonce}\",\"audience\":\"{_audience}\"}}";
            var signature = Encode(Ed25519.Sign(_seed, Encoding.UTF8.GetBytes(intent)));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/wallet/transact", UriKind.Relative))
            {
                Content = JsonContent.Create(new { intent, public_key = _publicKey, signature }),
            };
            request.Headers.Add("X-CSRF-Token", _csrf);
            using var response = await _http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response.StatusCode;
        }

        public void Dispose() => _http.Dispose();

        private async Task RefreshCsrfAsync()
        {
            var body = await _http.GetFromJsonAsync<JsonElement>("/api/auth/csrf");
            _csrf = body.GetProperty("token").GetString()!;
        }

        private async Task<JsonElement> PostAsync(string path, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: Json) };
            request.Headers.Add("X-CSRF-Token", _csrf);
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
            }

            return JsonSerializer.Deserialize<JsonElement>(text);
        }

        private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
