using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Grains;

namespace MeshFlow.Client;

/// <summary>
/// Sends one ad-hoc JSON payload to a URL as a durable, signed delivery with automatic retries, without a
/// registered webhook.
/// </summary>
/// <remarks>
/// The payload is serialized once to UTF-8, and the service signs and sends exactly those bytes with
/// <c>X-MeshFlow-Signature: sha256=&lt;hex&gt;</c>. Receivers check the signature over the raw request body with
/// <see cref="WebhookSignature.Verify"/> and the same secret. The payload's string <c>event</c> field, when
/// present, is sent as <c>X-MeshFlow-Event</c>.
/// </remarks>
public sealed class WebhookReliableDeliverer
{
    private const string EventField = "event";

    // The relaxed encoder keeps non-ASCII text as UTF-8 instead of \uXXXX escapes. The body is only ever read
    // as JSON, never embedded in HTML, so the characters it leaves unescaped are safe here.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IGrainFactory grainFactory;

    public WebhookReliableDeliverer(IGrainFactory grainFactory)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        this.grainFactory = grainFactory;
    }

    /// <summary>
    /// Serializes <paramref name="payload"/> to UTF-8 JSON, hands it to a new delivery grain and returns the
    /// accepted delivery, whose <see cref="DeliveryInfo.Id"/> can be passed to <see cref="DeliveryTracker"/>.
    /// Throws <see cref="MeshFlowValidationException"/> for an invalid tenant, URL or secret, or a payload larger
    /// than <see cref="Validation.MaxPayloadBytes"/> once serialized.
    /// </summary>
    public async Task<DeliveryInfo> SendAsync(
        string tenantId,
        string url,
        JsonObject payload,
        string secret,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);

        ValidateTarget(tenantId, url, secret);
        var body = Serialize(payload);
        ValidateSize(body.Length);
        var eventType = payload[EventField] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return await AcceptAsync(tenantId, url, secret, eventType, body, cancellationToken);
    }

    /// <summary>
    /// Hands <paramref name="utf8Json"/> unchanged to a new delivery grain and returns the accepted delivery.
    /// The bytes must be UTF-8 JSON whose top level is an object, at most <see cref="Validation.MaxPayloadBytes"/>
    /// long. Throws <see cref="MeshFlowValidationException"/> when they are not, or for an invalid tenant, URL or
    /// secret.
    /// </summary>
    public async Task<DeliveryInfo> SendAsync(
        string tenantId,
        string url,
        ReadOnlyMemory<byte> utf8Json,
        string secret,
        CancellationToken cancellationToken = default)
    {
        ValidateTarget(tenantId, url, secret);
        ValidateSize(utf8Json.Length);
        var eventType = ReadEventType(utf8Json);
        return await AcceptAsync(tenantId, url, secret, eventType, utf8Json.ToArray(), cancellationToken);
    }

    private async Task<DeliveryInfo> AcceptAsync(
        string tenantId,
        string url,
        string secret,
        string? eventType,
        byte[] body,
        CancellationToken cancellationToken)
    {
        ValidateEventHeader(eventType);

        var request = new DeliveryRequest(tenantId, WebhookId: null, url, secret, eventType, EventId: null, body);
        var delivery = grainFactory.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(GrainKeys.NewDeliveryId()));
        return await delivery.AcceptAsync(request).WaitAsync(cancellationToken);
    }

    private static void ValidateTarget(string tenantId, string url, string secret)
    {
        Validation.TenantId(tenantId);
        Validation.WebhookUrl(url);
        Validation.Secret(secret);
    }

    private static byte[] Serialize(JsonObject payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            payload.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void ValidateSize(int length)
    {
        if (length > Validation.MaxPayloadBytes)
        {
            throw new MeshFlowValidationException(
                $"Invalid payload: it is {length} bytes of UTF-8 JSON; shorten it to at most "
                + $"{Validation.MaxPayloadBytes} bytes.");
        }
    }

    private static string? ReadEventType(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new MeshFlowValidationException(
                $"Invalid payload: it is not UTF-8 JSON ({exception.Message}). Send a JSON object such as "
                + "{\"event\": \"policy_violation\"}.",
                exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MeshFlowValidationException(
                    $"Invalid payload: its top level is {Describe(root.ValueKind)}; send a JSON object such as "
                    + "{\"event\": \"policy_violation\"}.");
            }

            return root.TryGetProperty(EventField, out var eventType) && eventType.ValueKind == JsonValueKind.String
                ? eventType.GetString()
                : null;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    // The event type travels in an HTTP header, which carries only printable ASCII.
    private static void ValidateEventHeader(string? eventType)
    {
        if (eventType is null)
        {
            return;
        }

        if (eventType.Length == 0
            || eventType.Length > Validation.MaxFieldLength
            || !eventType.All(c => c is >= ' ' and <= '~'))
        {
            throw new MeshFlowValidationException(
                "Invalid payload: its \"event\" field must be 1 to "
                + $"{Validation.MaxFieldLength} printable ASCII characters, because it is sent in the "
                + "X-MeshFlow-Event header.");
        }
    }
}
