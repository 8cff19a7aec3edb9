using System.Text;
using System.Text.Json;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests;

public sealed class DeliveryFlowTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "hmac-secret";

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Publish_MatchingWebhook_DeliversSignedBody()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var webhook = await Cluster.Tenant("signed-body").RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.PolicyViolation]));

        var result = await Cluster.PublishAsync("signed-body", new GovernanceEvent(
            EventTypes.PolicyViolation,
            RunId: "run-abc123",
            NodeId: "classify-step",
            Reason: "Free tier cost cap exceeded",
            RuleName: "block-free-tier-expensive-calls"));
        Assert.Single(result.DeliveryIds);
        var request = await receiver.NextAsync();

        Assert.Single(result.DeliveryIds);
        Assert.Equal("POST", request.Method);
        Assert.Equal(WebhookSignature.ComputeHeader(request.Body, Secret), request.Header("X-MeshFlow-Signature"));
        Assert.Equal(result.DeliveryIds[0], request.Header("X-MeshFlow-Delivery"));
        Assert.Equal("policy_violation", request.Header("X-MeshFlow-Event"));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("signed-body", json.RootElement.GetProperty("tenant_id").GetString());
        var info = await Cluster.WaitForAsync(
            "signed-body",
            result.DeliveryIds[0],
            d => d.Status == DeliveryStatus.Succeeded);
        Assert.Single(info.Attempts);
        Assert.Equal(webhook.Id, info.WebhookId);
    }

    [Fact]
    public async Task Delivery_FailsTwice_SucceedsOnThirdAttempt()
    {
        await using var receiver = await TestReceiver.StartAsync(
            ReceiverResponse.WithStatus(500),
            ReceiverResponse.WithStatus(502));
        await Cluster.Tenant("fails-twice").RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));
        var result = await Cluster.PublishAsync("fails-twice", new GovernanceEvent(EventTypes.HitlPending));
        var deliveryId = result.DeliveryIds.Single();

        var first = await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync("fails-twice", deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        var second = await receiver.NextAsync();
        var afterSecond = await Cluster.WaitForAsync("fails-twice", deliveryId, d => d.Attempts.Count == 2);
        await Cluster.AdvancePastNextAttemptAsync(afterSecond);
        var third = await receiver.NextAsync();
        var final = await Cluster.WaitForAsync("fails-twice", deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(500, afterFirst.Attempts[0].StatusCode);
        Assert.Equal(502, afterSecond.Attempts[1].StatusCode);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(3, final.Attempts.Count);
        Assert.Null(final.NextAttemptAt);
        Assert.Equal(first.Body, third.Body);
        Assert.Equal(first.Header("X-MeshFlow-Delivery"), third.Header("X-MeshFlow-Delivery"));
        Assert.Equal(first.Header("X-MeshFlow-Signature"), second.Header("X-MeshFlow-Signature"));
    }

    [Fact]
    public async Task Publish_ByEventType_ReachesMatchingEnabledWebhooks()
    {
        const string tenantId = "fan-out";
        await using var receiver = await TestReceiver.StartAsync();
        var tenant = Cluster.Tenant(tenantId);
        var violations = await tenant.RegisterWebhookAsync(
            Registration(receiver, "/violations", EventTypes.PolicyViolation));
        await tenant.RegisterWebhookAsync(Registration(receiver, "/approvals", EventTypes.HitlPending));
        var everything = await tenant.RegisterWebhookAsync(Registration(receiver, "/everything", EventTypes.Wildcard));
        var disabled = await tenant.RegisterWebhookAsync(
            Registration(receiver, "/disabled", EventTypes.PolicyViolation));
        await tenant.SetWebhookEnabledAsync(disabled.Id, enabled: false);

        var result = await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.PolicyViolation));
        var deliveries = await Task.WhenAll(result.DeliveryIds.Select(
            id => Cluster.WaitForAsync(tenantId, id, d => d.Status == DeliveryStatus.Succeeded)));

        Assert.Equal(2, result.DeliveryIds.Count);
        Assert.Equal(
            new[] { violations.Id, everything.Id }.Order(StringComparer.Ordinal),
            deliveries.Select(delivery => delivery.WebhookId).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["/everything", "/violations"],
            receiver.Requests.Select(request => request.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_NoMatchingWebhook_ReturnsNoDeliveries()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Tenant("no-match").RegisterWebhookAsync(
            Registration(receiver, "/approvals", EventTypes.HitlPending));

        var result = await Cluster.PublishAsync("no-match", new GovernanceEvent(EventTypes.SlaBreach));

        Assert.Empty(result.DeliveryIds);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Publish_SameEventIdTwice_DeliversOnce()
    {
        const string tenantId = "same-event";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Tenant(tenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.BudgetExceeded]));
        var governanceEvent = new GovernanceEvent(EventTypes.BudgetExceeded, EventId: "evt-same-1", Reason: "first");

        var first = await Cluster.PublishAsync(tenantId, governanceEvent);
        var second = await Cluster.PublishAsync(tenantId, governanceEvent);
        var request = await receiver.NextAsync();
        await Cluster.WaitForAsync(tenantId, first.DeliveryIds.Single(), d => d.Status == DeliveryStatus.Succeeded);
        var third = await Cluster.PublishAsync(tenantId, governanceEvent);

        Assert.Equal("evt-same-1", second.EventId);
        Assert.Equal(first.DeliveryIds, second.DeliveryIds);
        Assert.Equal(first.DeliveryIds, third.DeliveryIds);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Single(receiver.Requests);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("first", json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Publish_SameEventIdOtherContent_Rejected()
    {
        const string tenantId = "same-event-changed";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Tenant(tenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));
        var governanceEvent = new GovernanceEvent(EventTypes.BudgetExceeded, EventId: "evt-changed-1", Reason: "first");
        await Cluster.PublishAsync(tenantId, governanceEvent);
        await receiver.NextAsync();

        var changedReason = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Cluster.PublishAsync(tenantId, governanceEvent with { Reason = "second" }));
        var changedType = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Cluster.PublishAsync(tenantId, governanceEvent with { EventType = EventTypes.SlaBreach }));

        Assert.Contains("evt-changed-1", changedReason.Message, StringComparison.Ordinal);
        Assert.Contains("budget_exceeded", changedType.Message, StringComparison.Ordinal);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Accept_AdHocPayload_SendsExactBytesSigned()
    {
        const string tenantId = "ad-hoc";
        await using var receiver = await TestReceiver.StartAsync();
        var deliveryId = GrainKeys.NewDeliveryId();
        var body = Encoding.UTF8.GetBytes("""{"event":"budget_exceeded", "spent_usd": 12.50, "note":"ad-hoc"}""");
        var request = new DeliveryRequest(
            tenantId,
            WebhookId: null,
            receiver.Url.ToString(),
            Secret,
            EventTypes.BudgetExceeded,
            EventId: null,
            body);

        var accepted = await Cluster.Delivery(deliveryId).AcceptAsync(request);
        var received = await receiver.NextAsync();
        var info = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status == DeliveryStatus.Succeeded);

        Assert.Equal(DeliveryStatus.Pending, accepted.Status);
        Assert.Empty(accepted.Attempts);
        Assert.Equal(body, received.Body);
        Assert.Equal(WebhookSignature.ComputeHeader(body, Secret), received.Header("X-MeshFlow-Signature"));
        Assert.Equal("budget_exceeded", received.Header("X-MeshFlow-Event"));
        Assert.Equal(deliveryId, received.Header("X-MeshFlow-Delivery"));
        Assert.Equal(deliveryId, info.Id);
        Assert.Equal(tenantId, info.TenantId);
        Assert.Null(info.WebhookId);
        Assert.Null(info.EventId);
        Assert.Equal(EventTypes.BudgetExceeded, info.EventType);
        Assert.Equal(receiver.Url.ToString(), info.Url);
        Assert.Equal(200, Assert.Single(info.Attempts).StatusCode);
        Assert.NotNull(info.CompletedAt);
    }

    [Fact]
    public async Task Accept_NoEventType_OmitsEventHeader()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var deliveryId = GrainKeys.NewDeliveryId();
        var body = Encoding.UTF8.GetBytes("""{"kind":"custom"}""");

        await Cluster.Delivery(deliveryId).AcceptAsync(
            new DeliveryRequest("ad-hoc-untyped", null, receiver.Url.ToString(), Secret, null, null, body));
        var received = await receiver.NextAsync();

        Assert.Null(received.Header("X-MeshFlow-Event"));
        Assert.Equal(body, received.Body);
    }

    [Fact]
    public async Task Accept_SameIdTwice_SendsOnce()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var deliveryId = GrainKeys.NewDeliveryId();
        var request = new DeliveryRequest(
            "ad-hoc-twice",
            null,
            receiver.Url.ToString(),
            Secret,
            EventTypes.SlaBreach,
            null,
            Encoding.UTF8.GetBytes("""{"event":"sla_breach"}"""));
        await Cluster.Delivery(deliveryId).AcceptAsync(request);
        await receiver.NextAsync();
        await Cluster.WaitForAsync("ad-hoc-twice", deliveryId, d => d.Status == DeliveryStatus.Succeeded);

        var again = await Cluster.Delivery(deliveryId).AcceptAsync(request);

        Assert.Equal(DeliveryStatus.Succeeded, again.Status);
        Assert.Single(again.Attempts);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Accept_IdOfAnotherTenant_Rejected()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var deliveryId = GrainKeys.NewDeliveryId();
        var body = Encoding.UTF8.GetBytes("""{"event":"hitl_pending"}""");
        await Cluster.Delivery(deliveryId).AcceptAsync(new DeliveryRequest(
            "ad-hoc-first", null, receiver.Url.ToString(), Secret, EventTypes.HitlPending, null, body));
        await receiver.NextAsync();

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(() => Cluster.Delivery(deliveryId).AcceptAsync(
            new DeliveryRequest("ad-hoc-second", null, receiver.Url.ToString(), Secret, EventTypes.HitlPending, null, body)));

        Assert.Contains(deliveryId, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ad-hoc-first", error.Message, StringComparison.Ordinal);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Get_WrongTenant_ThrowsNotFound()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var deliveryId = GrainKeys.NewDeliveryId();
        await Cluster.Delivery(deliveryId).AcceptAsync(new DeliveryRequest(
            "ad-hoc-owner",
            null,
            receiver.Url.ToString(),
            Secret,
            EventTypes.HitlPending,
            null,
            Encoding.UTF8.GetBytes("""{"event":"hitl_pending"}""")));

        var error = await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => Cluster.Delivery(deliveryId).GetAsync("ad-hoc-other"));

        Assert.Contains(deliveryId, error.Message, StringComparison.Ordinal);
        Assert.Contains("ad-hoc-other", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownDelivery_ThrowsNotFound()
    {
        var deliveryId = GrainKeys.NewDeliveryId();

        var error = await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => Cluster.Delivery(deliveryId).GetAsync("nobody"));

        Assert.Contains(deliveryId, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Validation.MaxPayloadBytes + 1)]
    public async Task Accept_PayloadSizeOutOfRange_ThrowsValidation(int size)
    {
        var deliveryId = GrainKeys.NewDeliveryId();
        var request = new DeliveryRequest(
            "ad-hoc-size",
            null,
            "http://127.0.0.1:9/hooks",
            Secret,
            null,
            null,
            new byte[size]);

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Cluster.Delivery(deliveryId).AcceptAsync(request));

        Assert.StartsWith("Invalid payload", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => Cluster.Delivery(deliveryId).GetAsync("ad-hoc-size"));
    }

    [Fact]
    public async Task Delivery_EveryAttempt_CarriesHeaders()
    {
        const string tenantId = "headers";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        await Cluster.Tenant(tenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.CollusionAlert]));
        var result = await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.CollusionAlert));
        var deliveryId = result.DeliveryIds.Single();

        var first = await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        var second = await receiver.NextAsync();
        await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status == DeliveryStatus.Succeeded);

        foreach (var request in new[] { first, second })
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("application/json", request.Header("Content-Type"));
            Assert.StartsWith("MeshFlow-Grains/", request.Header("User-Agent"), StringComparison.Ordinal);
            Assert.Equal(deliveryId, request.Header("X-MeshFlow-Delivery"));
            Assert.Equal("collusion_alert", request.Header("X-MeshFlow-Event"));
            Assert.Equal(WebhookSignature.ComputeHeader(request.Body, Secret), request.Header("X-MeshFlow-Signature"));
        }
    }

    [Fact]
    public async Task Publish_EmojiAndCjkReason_SignatureVerifies()
    {
        const string tenantId = "multi-byte";
        const string reason = "预算超限 🚨 コスト超過 ✅";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Tenant(tenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.BudgetExceeded]));

        await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.BudgetExceeded, Reason: reason));
        var request = await receiver.NextAsync();

        Assert.True(WebhookSignature.Verify(request.Body, request.Header("X-MeshFlow-Signature"), Secret));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Publish_DeliveredBody_PythonVerifierAccepts()
    {
        const string tenantId = "python-verify";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Tenant(tenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.PolicyViolation]));

        await Cluster.PublishAsync(tenantId, new GovernanceEvent(
            EventTypes.PolicyViolation,
            RunId: "run-abc123",
            Reason: "预算超限 コスト \"quoted\" \\ path",
            RuleName: "block-free-tier-expensive-calls"));
        var request = await receiver.NextAsync();
        var header = request.Header("X-MeshFlow-Signature");
        var signatureHex = header!["sha256=".Length..];
        var tampered = request.Body.ToArray();
        tampered[^2] ^= 0x01;

        Assert.StartsWith("sha256=", header, StringComparison.Ordinal);
        Assert.True(await PythonVerifier.VerifyAsync(request.Body, signatureHex, Secret));
        Assert.False(await PythonVerifier.VerifyAsync(tampered, signatureHex, Secret));
        Assert.False(await PythonVerifier.VerifyAsync(request.Body, signatureHex, "other-secret"));
    }

    private static WebhookRegistration Registration(TestReceiver receiver, string path, string eventType) =>
        new(new Uri(receiver.Url, path).ToString(), Secret, [eventType]);
}
