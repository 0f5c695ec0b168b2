using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using KudosRelay.Host.Intake;
using KudosRelay.Host.Tests.Kudos;
using Microsoft.Extensions.Logging;

namespace KudosRelay.Host.Tests.Inbound;

/// <summary>Raw bytes, correctly signed for each of the five endpoints, so that what is malformed is the content alone.</summary>
internal sealed class SignedInbound(HttpClient bot, string teamsToken)
{
    public const string Form = "application/x-www-form-urlencoded";

    public Task<HttpResponseMessage> SlackAsync(string path, byte[] body, string contentType)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.ASCII.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Slack.SlackTestHost.SigningSecret), signed));
        var request = Request(path, body, contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return Send(request);
    }

    public Task<HttpResponseMessage> TeamsAsync(byte[] body)
    {
        var request = Request("/api/messages", body, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", teamsToken);
        return Send(request);
    }

    /// <summary>A body signed by the intake source, for <c>/api/feedback</c> or the escalation endpoints, which share its signing.</summary>
    public Task<HttpResponseMessage> FeedbackAsync(byte[] body, string path = "/api/feedback")
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = Request(path, body, "application/json");
        request.Headers.Add("X-KudosRelay-Source", "survey");
        request.Headers.Add("X-KudosRelay-Timestamp", timestamp);
        request.Headers.Add("X-KudosRelay-Signature", IntakeSignature.Header(PlatformsHost.Secret, timestamp, body));
        return Send(request);
    }

    private static HttpRequestMessage Request(string path, byte[] body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request)
    {
        using (request)
            return await bot.SendAsync(request);
    }
}

/// <summary>Keeps every log line the host writes at Warning or above, to check what is said and what is not.</summary>
internal sealed class WarningLog : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(WarningLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                log.Lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
