using System.Net;
using System.Security.Cryptography;
using System.Text;
using KudosRelay.Teams.Inbound;
using KudosRelay.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace KudosRelay.Teams.Tests.Inbound;

public sealed class SigningKeysTests : IDisposable
{
    private readonly ManualClock clock = new();
    private readonly KeyServer server = new();
    private readonly SigningKeys keys;

    public SigningKeysTests()
    {
        keys = new SigningKeys(server, Options.Create(new TeamsOptions { AppId = "app", OpenIdMetadataUrl = "https://login.test/openid" }), clock, NullLogger<SigningKeys>.Instance);
    }

    public void Dispose()
    {
        keys.Dispose();
        server.Dispose();
    }

    [Fact]
    public async Task Keys_are_fetched_once_then_served_from_the_cache_with_their_endorsements()
    {
        for (var i = 0; i < 3; i++)
            Assert.Contains("msteams", (await keys.FindAsync("k1", CancellationToken.None))!.Endorsements);

        Assert.Equal(1, server.KeyFetches);
    }

    [Fact]
    public async Task Keys_are_refreshed_after_a_day()
    {
        await keys.FindAsync("k1", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(23));
        await keys.FindAsync("k1", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        await keys.FindAsync("k1", CancellationToken.None);

        Assert.Equal(2, server.KeyFetches);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_keys_at_most_once_a_minute()
    {
        await keys.FindAsync("k1", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        server.Kids = ["k1", "k2"];

        Assert.NotNull(await keys.FindAsync("k2", CancellationToken.None));
        Assert.Null(await keys.FindAsync("forged-1", CancellationToken.None));
        Assert.Null(await keys.FindAsync("forged-2", CancellationToken.None));
        Assert.Equal(2, server.KeyFetches);
    }

    [Fact]
    public async Task A_failing_key_server_keeps_the_keys_already_known()
    {
        await keys.FindAsync("k1", CancellationToken.None);
        server.Down = true;
        clock.Advance(TimeSpan.FromDays(1));

        Assert.NotNull(await keys.FindAsync("k1", CancellationToken.None));
    }

    /// <summary>OpenID metadata and a JWKS served from memory, counting key fetches.</summary>
    private sealed class KeyServer : HttpMessageHandler, IHttpClientFactory
    {
        private readonly RSA rsa = RSA.Create(2048);

        public string[] Kids { get; set; } = ["k1"];
        public bool Down { get; set; }
        public int KeyFetches { get; private set; }

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Down)
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            string body;
            if (request.RequestUri!.AbsolutePath == "/openid")
                body = """{"issuer":"https://api.botframework.com","jwks_uri":"https://login.test/keys"}""";
            else
            {
                KeyFetches++;
                var p = rsa.ExportParameters(false);
                var n = Base64UrlEncoder.Encode(p.Modulus);
                var e = Base64UrlEncoder.Encode(p.Exponent);
                body = $$"""{"keys":[{{string.Join(",", Kids.Select(kid => $$"""{"kty":"RSA","use":"sig","kid":"{{kid}}","n":"{{n}}","e":"{{e}}","endorsements":["msteams"]}"""))}}]}""";
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                rsa.Dispose();
            base.Dispose(disposing);
        }
    }
}
