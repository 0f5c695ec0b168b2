using System.Globalization;
using System.Text;
using KudosRelay.Host.Intake;

namespace KudosRelay.Host.Tests.Escalations;

/// <summary>Requests to <c>/api/escalations</c> signed as a configured helpdesk source signs them.</summary>
internal sealed class SignedEscalations(HttpClient bot, TimeProvider clock, string source, string secret)
{
    public Task<HttpResponseMessage> RaiseAsync(string json) => SendAsync(HttpMethod.Post, "/api/escalations", json);

    public Task<HttpResponseMessage> ShowAsync(long id) => SendAsync(HttpMethod.Get, $"/api/escalations/{id}", "");

    public Task<HttpResponseMessage> ResolveAsync(long id, string json) => SendAsync(HttpMethod.Post, $"/api/escalations/{id}/resolve", json);

    public Task<HttpResponseMessage> CancelAsync(long id, string json) => SendAsync(HttpMethod.Post, $"/api/escalations/{id}/cancel", json);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string json, string? signWith = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(method, path);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new("application/json");
        }
        request.Headers.Add("X-KudosRelay-Source", source);
        request.Headers.Add("X-KudosRelay-Timestamp", timestamp);
        request.Headers.Add("X-KudosRelay-Signature", IntakeSignature.Header(signWith ?? secret, timestamp, body));
        return bot.SendAsync(request);
    }
}
