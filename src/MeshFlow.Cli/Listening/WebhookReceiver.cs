using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Cli.Output;
using MeshFlow.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Cli.Listening;

/// <summary>
/// A Kestrel endpoint on 127.0.0.1 that accepts signed webhook POSTs on any path. It responds with 200 and prints
/// the event to standard output when <c>X-MeshFlow-Signature</c> matches the raw body, and responds with 401 and
/// prints a line to standard error otherwise.
/// </summary>
internal sealed class WebhookReceiver
{
    private const string DeliveryHeader = WebhookHeaders.Delivery;
    private const string EventHeader = WebhookHeaders.Event;

    // Room for the largest payload the service sends, with margin for future fields.
    private const long MaxBodyBytes = 4L * Validation.MaxPayloadBytes;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly CliContext context;
    private readonly string secret;
    private readonly bool json;
    private readonly Lock outputLock = new();

    public WebhookReceiver(CliContext context, string secret, bool json)
    {
        this.context = context;
        this.secret = secret;
        this.json = json;
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> until <paramref name="cancellationToken"/> is canceled.</summary>
    public async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        await using var app = Build(port);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            throw new CliException(
                $"Cannot listen on 127.0.0.1:{port}: {exception.Message} Choose another port with --port.",
                ExitCodes.Failure,
                exception);
        }

        WriteError($"Listening on http://127.0.0.1:{port}/ for signed webhooks; press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C is the normal way to stop listening.
        }

        using var stopDeadline = new CancellationTokenSource(StopTimeout);
        await app.StopAsync(stopDeadline.Token);
        WriteError("Stopped listening.");
    }

    private WebApplication Build(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        app.MapPost("/{**path}", (HttpRequest request, CancellationToken cancellationToken) =>
            HandleAsync(request, cancellationToken));
        return app;
    }

    private async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException exception)
        {
            WriteError($"Rejected POST {request.Path}: {exception.Message} (responded with {exception.StatusCode}).");
            return Results.StatusCode(exception.StatusCode);
        }

        var signature = request.Headers[WebhookSignature.HeaderName].ToString();
        if (string.IsNullOrEmpty(signature))
        {
            WriteError(
                $"Rejected POST {request.Path}: missing {WebhookSignature.HeaderName} header (responded with 401).");
            return Results.Unauthorized();
        }

        if (!WebhookSignature.Verify(body, signature, secret))
        {
            WriteError(
                $"Rejected POST {request.Path}: {WebhookSignature.HeaderName} does not match the body and the "
                + "secret (responded with 401).");
            return Results.Unauthorized();
        }

        var deliveryId = HeaderOrNull(request, DeliveryHeader);
        var eventType = HeaderOrNull(request, EventHeader);
        WriteReceived(deliveryId, eventType, body);
        return Results.Ok();
    }

    private void WriteReceived(string? deliveryId, string? eventType, byte[] body)
    {
        var receivedAt = OutputFormat.Timestamp(context.Time.GetUtcNow());
        lock (outputLock)
        {
            if (json)
            {
                JsonOutput.WriteLine(context.Out, new ReceivedDocument(receivedAt, deliveryId, eventType, ToJson(body)));
            }
            else
            {
                context.Out.WriteLine(
                    $"{receivedAt}  {eventType ?? "(no event type)"}  {deliveryId ?? "(no delivery id)"}  "
                    + Encoding.UTF8.GetString(body));
            }

            context.Out.Flush();
        }
    }

    private void WriteError(string message)
    {
        lock (outputLock)
        {
            context.WriteError(message);
            context.Error.Flush();
        }
    }

    private static string? HeaderOrNull(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    // A verified body that is not JSON is still printed, as a JSON string.
    private static JsonElement ToJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(body), CliJsonContext.Default.String);
        }
    }
}
