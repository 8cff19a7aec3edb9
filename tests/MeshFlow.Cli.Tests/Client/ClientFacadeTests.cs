using System.Text;
using System.Text.Json.Nodes;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Tests.Client;

/// <summary>
/// The client facades against a running test cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClientFacadeTests(MeshFlowCluster cluster) : IAsyncLifetime
{
    private const string Secret = "hmac-secret-c1";
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    private readonly string tenant = $"t-{Guid.NewGuid():N}";
    private MeshFlowClientHost? client;

    private MeshFlowClientHost Client => client ?? throw new InvalidOperationException("Not connected.");

    public async Task InitializeAsync()
    {
        var options = new MeshFlowClientOptions { Gateways = [cluster.Gateway] };
        client = await MeshFlowClientHost.ConnectAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task SendAsync_JsonObject_SignsSentBytes()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var payload = new JsonObject
        {
            ["event"] = "hitl_pending",
            ["reason"] = "Prüfung nötig <approve>",
        };

        var accepted = await Client.Deliverer.SendAsync(tenant, receiver.Url.ToString(), payload, Secret);
        var request = await receiver.NextAsync(DeliveryTimeout);

        var expected = "{\"event\":\"hitl_pending\",\"reason\":\"Prüfung nötig <approve>\"}"u8.ToArray();
        Assert.Equal(expected, request.Body);
        Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookHeaders.Signature), Secret));
        Assert.Equal("hitl_pending", request.Header(WebhookHeaders.Event));
        Assert.Equal(accepted.Id, request.Header(WebhookHeaders.Delivery));
        Assert.Null(accepted.WebhookId);
        Assert.Null(accepted.EventId);
        Assert.Equal("hitl_pending", accepted.EventType);
    }

    [Fact]
    public async Task SendAsync_Utf8Bytes_SendsThemUnchanged()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var body = Encoding.UTF8.GetBytes("{ \"note\" : \"spaced\",\n  \"n\": 1.50 }");

        var accepted = await Client.Deliverer.SendAsync(tenant, receiver.Url.ToString(), body, Secret);
        var request = await receiver.NextAsync(DeliveryTimeout);

        Assert.Equal(body, request.Body);
        Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookHeaders.Signature), Secret));
        Assert.Null(request.Header(WebhookHeaders.Event));
        Assert.Null(accepted.EventType);
    }

    [Fact]
    public async Task SendAsync_Delivered_TrackerReportsSucceeded()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var accepted = await Client.Deliverer.SendAsync(
            tenant, receiver.Url.ToString(), new JsonObject { ["event"] = "sla_breach" }, Secret);
        await receiver.NextAsync(DeliveryTimeout);

        var delivery = await WaitForFinishedAsync(accepted.Id);

        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(200, Assert.Single(delivery.Attempts).StatusCode);
    }

    [Theory]
    [InlineData("[1,2]", "its top level is an array")]
    [InlineData("\"text\"", "its top level is a string")]
    [InlineData("null", "its top level is null")]
    [InlineData("{\"event\":", "it is not UTF-8 JSON")]
    [InlineData("{\"event\":\"line\\nbreak\"}", "must be 1 to 4096 printable ASCII characters")]
    public async Task SendAsync_InvalidBytes_ThrowsValidation(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Client.Deliverer.SendAsync(tenant, "http://127.0.0.1:9/x", Encoding.UTF8.GetBytes(json), Secret));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_OversizedPayload_ThrowsValidation()
    {
        var payload = new JsonObject { ["blob"] = new string('x', Validation.MaxPayloadBytes) };

        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Client.Deliverer.SendAsync(tenant, "http://127.0.0.1:9/x", payload, Secret));

        Assert.Contains($"at most {Validation.MaxPayloadBytes} bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_InvalidUrl_ThrowsValidation()
    {
        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Client.Deliverer.SendAsync(tenant, "not a url", new JsonObject(), Secret));

        Assert.Contains("Invalid webhook URL", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_UnknownWebhook_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => Client.Webhooks.GetAsync(tenant, "wh_000000000000000000000000"));
    }

    [Fact]
    public async Task RegisterAsync_RepeatedEvents_StoresEachOnce()
    {
        var registration = new WebhookRegistration(
            "https://example.com/hook", Secret, ["policy_violation", "policy_violation", "hitl_pending"]);

        var webhook = await Client.Webhooks.RegisterAsync(tenant, registration);

        Assert.Equal(["policy_violation", "hitl_pending"], webhook.Events);
    }

    [Fact]
    public async Task PublishAsync_NoEventId_GeneratesOne()
    {
        var result = await Client.Events.PublishAsync(tenant, new GovernanceEvent(EventTypes.BudgetExceeded));

        Assert.StartsWith("evt_", result.EventId, StringComparison.Ordinal);
        Assert.Empty(result.DeliveryIds);
    }

    private async Task<DeliveryInfo> WaitForFinishedAsync(string deliveryId)
    {
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (true)
        {
            var delivery = await Client.Deliveries.GetAsync(tenant, deliveryId);
            if (delivery.Status != DeliveryStatus.Pending || DateTime.UtcNow > deadline)
            {
                return delivery;
            }

            await Task.Delay(50);
        }
    }
}
