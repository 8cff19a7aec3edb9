using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// <c>meshflow listen</c>, driven by signed and unsigned POSTs sent by the test.
/// </summary>
public sealed class ListenCommandTests
{
    private const string Secret = "hmac-secret";
    private const string DeliveryId = "dlv_00112233445566778899aabbccddeeff";
    private const string Body = "{\"event\":\"policy_violation\",\"reason\":\"Coût dépassé\"}";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Listen_SignedRequest_Answers200AndPrintsEvent()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);

        var (status, result) = await PostToListenerAsync(
            ["--secret", Secret],
            bytes,
            WebhookSignature.ComputeHeader(bytes, Secret));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("policy_violation", line, StringComparison.Ordinal);
        Assert.Contains(DeliveryId, line, StringComparison.Ordinal);
        Assert.EndsWith(Body, line.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("Listening on http://127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_BareHexSignature_Answers200()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);

        var (status, _) = await PostToListenerAsync(
            ["--secret", Secret],
            bytes,
            WebhookSignature.ComputeHex(bytes, Secret));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Listen_WrongSignature_Answers401()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);

        var (status, result) = await PostToListenerAsync(
            ["--secret", Secret],
            bytes,
            WebhookSignature.ComputeHeader(bytes, "another-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains(
            "Rejected POST /hooks: X-MeshFlow-Signature does not match the body and the secret (responded with 401).",
            result.StderrLines);
    }

    [Fact]
    public async Task Listen_TamperedBody_Answers401()
    {
        var signature = WebhookSignature.ComputeHeader(Encoding.UTF8.GetBytes(Body), Secret);

        var (status, result) = await PostToListenerAsync(
            ["--secret", Secret],
            Encoding.UTF8.GetBytes(Body.Replace("policy_violation", "sla_breach", StringComparison.Ordinal)),
            signature);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Listen_MissingSignature_Answers401()
    {
        var (status, result) = await PostToListenerAsync(["--secret", Secret], Encoding.UTF8.GetBytes(Body), null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains(
            "Rejected POST /hooks: missing X-MeshFlow-Signature header (responded with 401).",
            result.StderrLines);
    }

    [Fact]
    public async Task Listen_SecretFileWithNewline_IgnoresNewline()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, Secret + "\n");
            var bytes = Encoding.UTF8.GetBytes(Body);

            var (status, _) = await PostToListenerAsync(
                ["--secret-file", path],
                bytes,
                WebhookSignature.ComputeHeader(bytes, Secret));

            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Listen_SecretFileWithUtf8ByteOrderMark_IgnoresMark()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Secret + "\n")]);
            var bytes = Encoding.UTF8.GetBytes(Body);

            var (status, _) = await PostToListenerAsync(
                ["--secret-file", path],
                bytes,
                WebhookSignature.ComputeHeader(bytes, Secret));

            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Listen_SecretStartingWithAt_UsesItLiterally()
    {
        const string AtSecret = "@Pa55word!";
        var bytes = Encoding.UTF8.GetBytes(Body);

        var (status, result) = await PostToListenerAsync(
            ["--secret", AtSecret],
            bytes,
            WebhookSignature.ComputeHeader(bytes, AtSecret));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Listen_SecretNamingFile_IgnoresFileContent()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "content-of-the-file");
            var bytes = Encoding.UTF8.GetBytes(Body);

            var (literal, _) = await PostToListenerAsync(
                ["--secret", $"@{path}"],
                bytes,
                WebhookSignature.ComputeHeader(bytes, $"@{path}"));
            var (fromFile, _) = await PostToListenerAsync(
                ["--secret", $"@{path}"],
                bytes,
                WebhookSignature.ComputeHeader(bytes, "content-of-the-file"));

            Assert.Equal(HttpStatusCode.OK, literal);
            Assert.Equal(HttpStatusCode.Unauthorized, fromFile);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Listen_CtrlC_ExitsWithZero()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);

        var (_, result) = await PostToListenerAsync(
            ["--secret", Secret],
            bytes,
            WebhookSignature.ComputeHeader(bytes, Secret));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Stopped listening.", result.StderrLines[^1]);
        Assert.DoesNotContain("Interrupted", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_Json_PrintsOneDocumentPerRequest()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);

        var (_, result) = await PostToListenerAsync(
            ["--secret", Secret, "--json"],
            bytes,
            WebhookSignature.ComputeHeader(bytes, Secret));

        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var received = JsonDocument.Parse(line).RootElement;
        Assert.Equal(DeliveryId, received.GetProperty("delivery_id").GetString());
        Assert.Equal("policy_violation", received.GetProperty("event").GetString());
        Assert.Equal("Coût dépassé", received.GetProperty("body").GetProperty("reason").GetString());
        Assert.EndsWith("Z", received.GetProperty("received_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listen_PortInUse_ReportsPort()
    {
        using var occupant = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var result = await CliRunner.RunAsync("listen", "--port", $"{port}", "--secret", Secret);

        CliAssert.OneLineError(result, 1, $"Cannot listen on 127.0.0.1:{port}");
        Assert.Contains("Choose another port with --port.", result.Stderr, StringComparison.Ordinal);
    }

    // Starts `meshflow listen` on a free port, POSTs one request once the port accepts connections, then stops
    // the listener as Ctrl+C would and returns the response status and the CLI's output.
    private static async Task<(HttpStatusCode Status, CliResult Result)> PostToListenerAsync(
        string[] listenArgs,
        byte[] body,
        string? signature)
    {
        var port = FreePort.Next();
        using var stop = new CancellationTokenSource(CliRunner.CommandTimeout);
        var run = CliRunner.RunAsync(["listen", "--port", $"{port}", .. listenArgs], stop.Token);

        HttpStatusCode status;
        try
        {
            status = await PostWhenReadyAsync(port, body, signature, run);
        }
        finally
        {
            await stop.CancelAsync();
        }

        return (status, await run);
    }

    private static async Task<HttpStatusCode> PostWhenReadyAsync(int port, byte[] body, string? signature, Task run)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/hooks")
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-MeshFlow-Event", "policy_violation");
            request.Headers.Add("X-MeshFlow-Delivery", DeliveryId);
            if (signature is not null)
            {
                request.Headers.Add(WebhookSignature.HeaderName, signature);
            }

            try
            {
                using var response = await http.SendAsync(request);
                return response.StatusCode;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !run.IsCompleted)
            {
                // The listener is still starting.
                await Task.Delay(25);
            }
        }
    }
}
