namespace Marketplace.Verify;

/// <summary>
/// <c>dotnet run --project tools/Marketplace.Verify -- statement.json [--public-key &lt;base64url&gt;] [--previous-checkpoint &lt;checkpoint.json&gt;]</c>:
/// checks a verifiable statement (Wallet → Statement → Download verifiable statement) without any network.
/// </summary>
internal static class Program
{
    private static int Main(string[] args) => StatementVerifier.Run(args, Console.Out);
}
