using System.Text.Json;
using MeshFlow.Grains.Delivery;
using MeshFlow.Grains.Events;
using MeshFlow.Grains.Hosting;
using MeshFlow.Grains.Tenants;

namespace MeshFlow.Grains.Tests.Hosting;

public sealed class StateJsonSerializerTests
{
    private static readonly DateTimeOffset AcceptedAt = new(2026, 5, 30, 14, 23, 1, 250, TimeSpan.FromHours(2));

    private readonly StateJsonSerializer _serializer = new();

    [Fact]
    public void RoundTrip_PendingDelivery_KeepsEveryField()
    {
        var state = new DeliveryState
        {
            Id = "dlv_0123456789abcdef0123456789abcdef",
            TenantId = "acme",
            WebhookId = "wh_0123456789abcdef01234567",
            Url = "https://example.com/meshflow-events",
            Secret = "hmac-secret",
            EventType = EventTypes.PolicyViolation,
            EventId = "evt-1",
            Body = [0x7b, 0x22, 0xe9, 0xa2, 0x84, 0x22, 0x7d, 0x00, 0xff],
            Status = DeliveryStatus.Pending,
            Attempts =
            [
                new DeliveryAttempt(1, AcceptedAt, 500, "HTTP 500", 42),
                new DeliveryAttempt(2, AcceptedAt.AddSeconds(12), null, "timed out after 2 s", 2001),
            ],
            NextAttemptAt = AcceptedAt.AddSeconds(62),
            AcceptedAt = AcceptedAt,
            CompletedAt = null,
        };

        var copy = RoundTrip(state);

        Assert.Equal(state.Id, copy.Id);
        Assert.Equal(state.TenantId, copy.TenantId);
        Assert.Equal(state.WebhookId, copy.WebhookId);
        Assert.Equal(state.Url, copy.Url);
        Assert.Equal(state.Secret, copy.Secret);
        Assert.Equal(state.EventType, copy.EventType);
        Assert.Equal(state.EventId, copy.EventId);
        Assert.Equal(state.Body, copy.Body);
        Assert.Equal(DeliveryStatus.Pending, copy.Status);
        Assert.Equal(state.Attempts, copy.Attempts);
        Assert.True(state.NextAttemptAt.Value.EqualsExact(copy.NextAttemptAt!.Value));
        Assert.True(state.AcceptedAt.EqualsExact(copy.AcceptedAt));
        Assert.Null(copy.CompletedAt);
    }

    [Fact]
    public void RoundTrip_FinishedDelivery_KeepsNullsAndStatus()
    {
        var state = new DeliveryState
        {
            Id = "dlv_0123456789abcdef0123456789abcdef",
            TenantId = "acme",
            Url = "https://example.com/meshflow-events",
            Status = DeliveryStatus.Failed,
            Attempts = [new DeliveryAttempt(1, AcceptedAt, 410, "HTTP 410: the receiver is gone", 7)],
            AcceptedAt = AcceptedAt,
            CompletedAt = AcceptedAt.AddSeconds(1),
        };

        var copy = RoundTrip(state);

        Assert.Equal(DeliveryStatus.Failed, copy.Status);
        Assert.Null(copy.WebhookId);
        Assert.Null(copy.Secret);
        Assert.Null(copy.Body);
        Assert.Null(copy.NextAttemptAt);
        Assert.Equal(state.CompletedAt, copy.CompletedAt);
        Assert.Equal(state.Attempts, copy.Attempts);
    }

    [Fact]
    public void Serialize_DeliveryState_WritesNoTypeNames()
    {
        var state = new DeliveryState
        {
            Id = "dlv_0123456789abcdef0123456789abcdef",
            Status = DeliveryStatus.Succeeded,
        };

        var json = _serializer.Serialize(state).ToString();

        Assert.Contains("\"status\":\"succeeded\"", json, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"dlv_0123456789abcdef0123456789abcdef\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.DoesNotContain("MeshFlow", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_TenantState_KeepsWebhooks()
    {
        var state = new TenantState
        {
            Webhooks =
            [
                new WebhookEntry
                {
                    Id = "wh_0123456789abcdef01234567",
                    Url = "https://example.com/meshflow-events",
                    Secret = "hmac-secret",
                    Events = [EventTypes.PolicyViolation, EventTypes.HitlPending],
                    Description = "on-call pager",
                    Enabled = true,
                    CreatedAt = AcceptedAt,
                },
                new WebhookEntry
                {
                    Id = "wh_76543210fedcba9876543210",
                    Url = "https://example.com/gone",
                    Secret = "clé-秘密-🔑",
                    Events = [EventTypes.Wildcard],
                    Enabled = false,
                    CreatedAt = AcceptedAt.AddDays(1),
                    DisabledReason = "the receiver answered 410 Gone",
                },
            ],
        };

        var copy = RoundTrip(state);

        Assert.Equal(2, copy.Webhooks.Count);
        for (var i = 0; i < state.Webhooks.Count; i++)
        {
            var expected = state.Webhooks[i];
            var actual = copy.Webhooks[i];
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.Url, actual.Url);
            Assert.Equal(expected.Secret, actual.Secret);
            Assert.Equal(expected.Events, actual.Events);
            Assert.Equal(expected.Description, actual.Description);
            Assert.Equal(expected.Enabled, actual.Enabled);
            Assert.True(expected.CreatedAt.EqualsExact(actual.CreatedAt));
            Assert.Equal(expected.DisabledReason, actual.DisabledReason);
        }
    }

    [Fact]
    public void RoundTrip_EventState_KeepsDeliveries()
    {
        var state = new EventState
        {
            EventType = EventTypes.BudgetExceeded,
            DeliveryIds = ["dlv_0123456789abcdef0123456789abcdef", "dlv_fedcba9876543210fedcba9876543210"],
            PublishedAt = AcceptedAt,
        };

        var copy = RoundTrip(state);

        Assert.Equal(state.EventType, copy.EventType);
        Assert.Equal(state.DeliveryIds, copy.DeliveryIds);
        Assert.True(state.PublishedAt.EqualsExact(copy.PublishedAt));
    }

    [Fact]
    public void Deserialize_NullLiteral_ThrowsJsonException()
    {
        var error = Assert.Throws<JsonException>(
            () => _serializer.Deserialize<DeliveryState>(BinaryData.FromString("null")));

        Assert.Contains(nameof(DeliveryState), error.Message, StringComparison.Ordinal);
    }

    private T RoundTrip<T>(T state) => _serializer.Deserialize<T>(_serializer.Serialize(state));
}
