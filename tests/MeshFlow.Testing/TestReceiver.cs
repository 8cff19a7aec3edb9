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

namespace MeshFlow.Testing;

/// <summary>
/// A Kestrel webhook receiver on 127.0.0.1 with a free port. It records every request, whatever its method and
/// path. It responds from a script of <see cref="ReceiverResponse"/> values first, and with
/// <see cref="StatusCode"/> once the script runs out.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceiverResponse> _script = new();
    private readonly Channel<ReceivedRequest> _received = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly ConcurrentQueue<ReceivedRequest> _all = new();
    private volatile int _statusCode = StatusCodes.Status200OK;

    private TestReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The URL to register as the webhook: <c>http://127.0.0.1:port/hooks</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>
    /// The HTTP status code sent in reply to every later request that no scripted response covers.
    /// </summary>
    /// <value>The default value is 200.</value>
    public int StatusCode
    {
        get => _statusCode;
        set => _statusCode = value;
    }

    /// <summary>Every request received so far, oldest first, including those already taken by <see cref="NextAsync"/>.</summary>
    public IReadOnlyCollection<ReceivedRequest> Requests => _all;

    /// <summary>Starts the receiver, which sends the <paramref name="script"/> responses in order.</summary>
    public static async Task<TestReceiver> StartAsync(params ReceiverResponse[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        receiver.Enqueue(script);

        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        receiver.Url = new Uri(address + "/hooks");
        return receiver;
    }

    /// <summary>Adds responses to the end of the script.</summary>
    public void Enqueue(params ReceiverResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    /// <summary>
    /// Waits for the next request not yet taken, and throws <see cref="TimeoutException"/> when none arrives
    /// within <paramref name="timeout"/>, which defaults to 30 seconds of real time.
    /// </summary>
    public async Task<ReceivedRequest> NextAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        using var cts = new CancellationTokenSource(wait);
        try
        {
            return await _received.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The receiver at {Url} got no request within {wait.TotalSeconds} s.");
        }
    }

    /// <summary>
    /// Returns whether a request not yet taken by <see cref="NextAsync"/> is there or arrives within
    /// <paramref name="wait"/>. Tests use it to check that no request arrives.
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

        var response = _script.TryDequeue(out var scripted) ? scripted : new ReceiverResponse(_statusCode);
        if (response.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up, but the request still counts as received.
            }
        }

        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path,
            headers,
            body.ToArray(),
            response.Status);
        _all.Enqueue(request);
        _received.Writer.TryWrite(request);

        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
    }
}
