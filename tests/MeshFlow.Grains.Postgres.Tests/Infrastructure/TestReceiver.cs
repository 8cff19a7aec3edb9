using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>
/// A Kestrel webhook receiver on 127.0.0.1 with a free port. It records every request and responds to each with
/// <see cref="StatusCode"/>, which is 200 unless a test changes it.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly Channel<ReceivedRequest> _received = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly ConcurrentQueue<ReceivedRequest> _all = new();
    private volatile int _statusCode = StatusCodes.Status200OK;

    private TestReceiver(WebApplication app)
    {
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>The HTTP status code sent in reply to every later request.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set => _statusCode = value;
    }

    /// <summary>Every request received so far, oldest first.</summary>
    public IReadOnlyCollection<ReceivedRequest> Requests => _all;

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        receiver.Url = new Uri(address + "/hooks");
        return receiver;
    }

    /// <summary>Waits for the next request, failing the test after a bounded real-time wait.</summary>
    public async Task<ReceivedRequest> NextAsync()
    {
        using var cts = new CancellationTokenSource(DefaultWait);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The receiver at {Url} got no request within {DefaultWait.TotalSeconds} s.");
        }
    }

    /// <summary>
    /// Returns whether a request not yet taken by <see cref="NextAsync"/> is there or arrives within
    /// <paramref name="wait"/>.
    /// </summary>
    public async Task<bool> AnyWithinAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            return await _received.Reader.WaitToReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(
            header => header.Key,
            header => header.Value.ToString(),
            StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, headers, body.ToArray());
        var status = _statusCode;
        _all.Enqueue(request);
        _received.Writer.TryWrite(request);
        context.Response.StatusCode = status;
    }
}
