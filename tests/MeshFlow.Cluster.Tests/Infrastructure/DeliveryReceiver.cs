using System.Collections.Concurrent;
using System.Diagnostics;
using MeshFlow.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// A Kestrel webhook receiver on 127.0.0.1 that returns 200 to every request. It verifies each signature against
/// one secret and records, per <c>X-MeshFlow-Delivery</c> id, how many requests arrived and when.
/// </summary>
public sealed class DeliveryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _secret;
    private readonly Stopwatch _runClock;
    private readonly ConcurrentDictionary<string, Reception> _receptions = new(StringComparer.Ordinal);
    private int _requestCount;
    private int _invalidSignatureCount;
    private int _missingDeliveryIdCount;

    private DeliveryReceiver(WebApplication app, string secret, Stopwatch runClock)
    {
        _app = app;
        _secret = secret;
        _runClock = runClock;
    }

    /// <summary>The URL to register as the webhook.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request received, by delivery id.</summary>
    public IReadOnlyDictionary<string, Reception> Receptions => _receptions;

    /// <summary>How many requests arrived in all.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>How many requests carried a signature that does not match their body.</summary>
    public int InvalidSignatureCount => Volatile.Read(ref _invalidSignatureCount);

    /// <summary>How many requests had no <c>X-MeshFlow-Delivery</c> header.</summary>
    public int MissingDeliveryIdCount => Volatile.Read(ref _missingDeliveryIdCount);

    /// <summary>Starts the receiver on a free port of 127.0.0.1.</summary>
    /// <param name="secret">The webhook secret that every signature must match.</param>
    /// <param name="runClock">The clock that times receptions, started when the run began.</param>
    public static async Task<DeliveryReceiver> StartAsync(string secret, Stopwatch runClock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new DeliveryReceiver(app, secret, runClock);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        receiver.Url = new Uri(address + "/hooks");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var receivedAt = _runClock.Elapsed;
        Interlocked.Increment(ref _requestCount);

        var signature = context.Request.Headers[WebhookHeaders.Signature].ToString();
        if (!WebhookSignature.Verify(body, signature, _secret))
        {
            Interlocked.Increment(ref _invalidSignatureCount);
        }

        var deliveryId = context.Request.Headers[WebhookHeaders.Delivery].ToString();
        if (string.IsNullOrEmpty(deliveryId))
        {
            Interlocked.Increment(ref _missingDeliveryIdCount);
        }
        else if (!_receptions.TryAdd(deliveryId, new Reception(receivedAt, body)))
        {
            _receptions[deliveryId].AddRepeat(receivedAt, body);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
