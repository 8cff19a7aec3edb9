using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace MeshFlow.Grains.Delivery;

/// <summary>
/// Sends webhook requests over a pooled <see cref="HttpClient"/> that never follows redirects, with each attempt
/// bounded by a Polly timeout of <see cref="DeliveryOptions.AttemptTimeout"/>. Durations and the timeout run on the
/// host's real clock; a Retry-After date is read against the application clock that schedules the retry.
/// </summary>
internal sealed partial class WebhookSender : IWebhookSender
{
    /// <summary>The name of the <see cref="HttpClient"/> and of the Polly pipeline used for attempts.</summary>
    public const string ClientName = "MeshFlow.Delivery";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ResiliencePipeline _pipeline;
    private readonly IOptionsMonitor<DeliveryOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookSender> _logger;

    public WebhookSender(
        IHttpClientFactory httpClientFactory,
        ResiliencePipelineProvider<string> pipelines,
        IOptionsMonitor<DeliveryOptions> options,
        TimeProvider timeProvider,
        [FromKeyedServices(MeshFlowClock.ServiceKey)] TimeProvider clock,
        ILogger<WebhookSender> logger)
    {
        _httpClientFactory = httpClientFactory;
        _pipeline = pipelines.GetPipeline(ClientName);
        _options = options;
        _timeProvider = timeProvider;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Gets the User-Agent sent with every request: the product name and version.</summary>
    public static string UserAgent { get; } = "MeshFlow-Grains/" + ProductVersion();

    /// <inheritdoc />
    public async Task<AttemptOutcome> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        var started = _timeProvider.GetTimestamp();
        try
        {
            var outcome = await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Sender.PostAsync(state.Message, token),
                (Sender: this, Message: message),
                cancellationToken);
            return outcome with { Duration = _timeProvider.GetElapsedTime(started) };
        }
        catch (TimeoutRejectedException)
        {
            var timeout = _options.CurrentValue.AttemptTimeout;
            LogTimedOut(_logger, message.DeliveryId, timeout.TotalMilliseconds);
            return Failure($"timed out after {timeout.TotalSeconds:0.###} s", started);
        }
        catch (HttpRequestException ex)
        {
            LogConnectionFailed(_logger, message.DeliveryId, ex.Message);
            return Failure("connection failed: " + ex.Message, started);
        }
    }

    private static string ProductVersion()
    {
        var version = typeof(WebhookSender).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        // Drop the source revision that the SDK appends after '+'.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    private AttemptOutcome Failure(string error, long started) =>
        new(null, error, null, _timeProvider.GetElapsedTime(started));

    private async Task<AttemptOutcome> PostAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url);
        var content = new ReadOnlyMemoryContent(message.Body);
        content.Headers.ContentType = JsonContentType;
        request.Content = content;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Delivery, message.DeliveryId);
        request.Headers.TryAddWithoutValidation(
            WebhookHeaders.Signature,
            WebhookSignature.ComputeHeader(message.Body.Span, message.Secret));
        if (message.EventType is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookHeaders.Event, message.EventType);
        }

        var client = _httpClientFactory.CreateClient(ClientName);

        // Only the status line and headers matter; the body is never read, so a large response costs nothing.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        LogAnswered(_logger, message.DeliveryId, status);
        return new AttemptOutcome(status, null, ReadRetryAfter(response), TimeSpan.Zero);
    }

    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    [LoggerMessage(EventId = 2001, EventName = "AttemptAnswered", Level = LogLevel.Debug,
        Message = "Delivery {DeliveryId}: receiver answered {StatusCode}")]
    private static partial void LogAnswered(ILogger logger, string deliveryId, int statusCode);

    [LoggerMessage(EventId = 2002, EventName = "AttemptTimedOut", Level = LogLevel.Debug,
        Message = "Delivery {DeliveryId}: attempt timed out after {TimeoutMs} ms")]
    private static partial void LogTimedOut(ILogger logger, string deliveryId, double timeoutMs);

    [LoggerMessage(EventId = 2003, EventName = "AttemptConnectionFailed", Level = LogLevel.Debug,
        Message = "Delivery {DeliveryId}: connection failed: {Error}")]
    private static partial void LogConnectionFailed(ILogger logger, string deliveryId, string error);
}
