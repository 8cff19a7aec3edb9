using System.Net;
using System.Threading.Channels;
using MeshFlow.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// A Kestrel webhook receiver on 127.0.0.1 that responds to every POST with the same status code, 200 unless the
/// test chooses another, and records it.
/// </summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly Channel<ReceivedRequest> requests = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly WebApplication app;
    private readonly HttpStatusCode status;

    private RecordingReceiver(WebApplication app, int port, HttpStatusCode status)
    {
        this.app = app;
        this.status = status;
        Url = $"http://127.0.0.1:{port}/hooks";
    }

    /// <summary>The URL to register as a webhook.</summary>
    public string Url { get; }

    public static async Task<RecordingReceiver> StartAsync(HttpStatusCode status = HttpStatusCode.OK)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        var receiver = new RecordingReceiver(app, port, status);
        app.MapPost("/{**path}", (HttpRequest request, CancellationToken cancellationToken) =>
            receiver.RecordAsync(request, cancellationToken));
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the next request.</summary>
    public async Task<ReceivedRequest> NextAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await requests.Reader.ReadAsync(cancellation.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> RecordAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var received = new ReceivedRequest(
            request.Path,
            buffer.ToArray(),
            Header(request, WebhookSignature.HeaderName),
            Header(request, "X-MeshFlow-Event"),
            Header(request, "X-MeshFlow-Delivery"));
        await requests.Writer.WriteAsync(received, cancellationToken);
        return Results.StatusCode((int)status);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;
}
