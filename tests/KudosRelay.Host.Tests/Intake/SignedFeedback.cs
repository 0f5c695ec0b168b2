using System.Globalization;
using System.Text;
using KudosRelay.Host.Intake;

namespace KudosRelay.Host.Tests.Intake;

/// <summary>Feedback posted to <c>/api/feedback</c> as a configured source signs it.</summary>
internal static class SignedFeedback
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient bot, string json, string source, string secret, DateTimeOffset? at = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-KudosRelay-Source", source);
        request.Headers.Add("X-KudosRelay-Timestamp", timestamp);
        request.Headers.Add("X-KudosRelay-Signature", IntakeSignature.Header(secret, timestamp, body));
        return bot.SendAsync(request);
    }
}
