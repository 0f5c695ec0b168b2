using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KudosRelay.Teams.Tests.Inbound;

/// <summary>
/// OpenID metadata and a JWKS served from memory, counting key fetches; every listed kid names the
/// same RSA key, which <see cref="Token"/> signs Connector-to-bot tokens with.
/// </summary>
internal sealed class KeyServer : HttpMessageHandler, IHttpClientFactory
{
    public const string AppId = "app";
    public const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    private readonly RSA rsa = RSA.Create(2048);

    public string[] Kids { get; set; } = ["k1"];
    public bool Down { get; set; }
    public int KeyFetches { get; private set; }

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    /// <summary>A token as the Bot Framework issues it, valid from a minute before <paramref name="issuedAt"/> for <paramref name="lifetime"/>.</summary>
    public string Token(DateTimeOffset issuedAt, TimeSpan lifetime, string kid = "k1") =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://api.botframework.com",
            Audience = AppId,
            IssuedAt = issuedAt.UtcDateTime.AddMinutes(-1),
            NotBefore = issuedAt.UtcDateTime.AddMinutes(-1),
            Expires = (issuedAt + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });

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
