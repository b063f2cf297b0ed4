using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Api;
using Marketplace.Web.Tests.Auth;
using Marketplace.Web.Tests.Wallet;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Account;

public sealed class WhenVerifyingAnEmail(AppWithTestClock app) : IClassFixture<AppWithTestClock>
{
    [Fact]
    public async Task The_link_works_once_and_never_again()
    {
        using var user = await ApiClient.RegisteredAsync(app);
        var token = app.LatestMailTo(user.User.Email).VerificationLink().Token();
        using var anonymous = ApiClient.For(app);

        using var first = await anonymous.PostJsonAsync("/api/account/email/verify", new { Token = token });
        using var second = await anonymous.PostJsonAsync("/api/account/email/verify", new { Token = token });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verified").GetBoolean());
        await second.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "verification_link_invalid");
        Assert.Contains("<strong>Verified</strong>", await GetHtmlAsync(user, "/Account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mailed_link_opens_a_page_whose_button_verifies_once()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        var link = app.LatestMailTo(shopper.Api.User.Email).VerificationLink();
        Assert.Contains("Verify your email address", await shopper.GetHtmlAsync("/Wallet"), StringComparison.Ordinal);
        var path = link.PathAndQuery;

        Assert.Equal($"{MarketplaceApp.Origin}/Account/Verify", link.GetLeftPart(UriPartial.Path));
        using var first = await shopper.PostFormAsync(path, path, [new("token", link.Token())]);
        using var second = await shopper.PostFormAsync(path, path, [new("token", link.Token())]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains($"{shopper.Api.User.Email} is verified", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Contains("unknown, expired or already used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Verify your email address", await shopper.GetHtmlAsync("/Wallet"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_older_than_a_day_is_refused_and_resend_mails_a_new_one()
    {
        using var user = await ApiClient.RegisteredAsync(app);
        var old = app.LatestMailTo(user.User.Email).VerificationLink().Token();
        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        using var anonymous = ApiClient.For(app);

        using var expired = await anonymous.PostJsonAsync("/api/account/email/verify", new { Token = old });
        using var resent = await user.PostAsync("/api/account/email/resend", content: null);
        var fresh = app.LatestMailTo(user.User.Email).VerificationLink().Token();
        using var verified = await anonymous.PostJsonAsync("/api/account/email/verify", new { Token = fresh });

        await expired.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "verification_link_invalid");
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task Resend_right_away_is_rate_limited_and_sends_nothing()
    {
        using var user = await ApiClient.RegisteredAsync(app);
        var mailed = Mailbox.Read(app.MailDirectory).To(user.User.Email).Count();

        using var resent = await user.PostAsync("/api/account/email/resend", content: null);

        await resent.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(int.Parse(resent.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(mailed, Mailbox.Read(app.MailDirectory).To(user.User.Email).Count());
    }

    [Fact]
    public async Task The_wallet_banners_resend_button_answers_on_the_account_page()
    {
        using var shopper = await WebShopper.RegisterAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var mailed = Mailbox.Read(app.MailDirectory).To(shopper.Api.User.Email).Count();

        using var resent = await shopper.PostFormAsync("/Wallet", "/Account?handler=Resend", []);
        using var tooSoon = await shopper.PostFormAsync("/Wallet", "/Account?handler=Resend", []);

        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Equal(mailed + 1, Mailbox.Read(app.MailDirectory).To(shopper.Api.User.Email).Count());
        Assert.Equal("/Account", tooSoon.Headers.Location?.OriginalString);
        Assert.Contains("A verification link was sent a moment ago", await shopper.GetHtmlAsync("/Account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_each_message_is_an_eml_file_listed_at_dev_mail_with_its_link()
    {
        using var user = await ApiClient.RegisteredAsync(app);

        var files = Directory.GetFiles(app.MailDirectory, "*.eml");
        var html = await GetHtmlAsync(user, "/dev/mail");

        Assert.NotEmpty(files);
        var link = app.LatestMailTo(user.User.Email).VerificationLink();
        Assert.Contains($"href=\"{link}\"", html, StringComparison.Ordinal);
        Assert.Contains($"Confirm your email address for Marketplace to {user.User.Email}", html, StringComparison.Ordinal);
    }

    private static async Task<string> GetHtmlAsync(ApiClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }
}

/// <summary>The app with SMTP settings pointing at a fake server the test started on loopback.</summary>
public sealed class AppWithSmtp : MarketplaceApp, IAsyncLifetime
{
    public FakeSmtpServer Smtp { get; } = new(username: "mailer", password: "s3cret");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SMTP_HOST", "127.0.0.1");
        builder.UseSetting("SMTP_PORT", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("SMTP_USERNAME", Smtp.Username);
        builder.UseSetting("SMTP_PASSWORD", Smtp.Password);
        builder.UseSetting("SMTP_FROM", "Marketplace <no-reply@shop.example.test>");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await Smtp.DisposeAsync();
}

public sealed class WhenMailGoesOverSmtp(AppWithSmtp app) : IClassFixture<AppWithSmtp>
{
    [Fact]
    public async Task Registration_sends_the_verification_link_through_the_smtp_server_with_its_credentials()
    {
        using var user = await ApiClient.RegisteredAsync(app);

        var message = Assert.Single(app.Smtp.Messages.To(user.User.Email));
        Assert.Equal("no-reply@shop.example.test", message.From.Mailboxes.Single().Address);
        Assert.Contains("mailer", app.Smtp.Logins);
        Assert.False(Directory.Exists(app.MailDirectory) && Directory.GetFiles(app.MailDirectory).Length > 0, "Nothing should go to the pickup folder when SMTP_HOST is set.");
        using var anonymous = ApiClient.For(app);
        using var verified = await anonymous.PostJsonAsync("/api/account/email/verify", new { Token = message.VerificationLink().Token() });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }
}
