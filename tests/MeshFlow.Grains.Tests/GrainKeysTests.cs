using System.Text.RegularExpressions;

namespace MeshFlow.Grains.Tests;

public sealed partial class GrainKeysTests
{
    [Fact]
    public void Tenant_LookAlikeIds_GiveDistinctKeys()
    {
        string[] tenantIds = ["abc", "ABC", "0abc", "cafe", "123"];

        var keys = tenantIds.Select(GrainKeys.Tenant).ToList();

        Assert.Equal(tenantIds.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key => Assert.StartsWith("tenant/", key, StringComparison.Ordinal));
    }

    [Fact]
    public void Tenant_Key_StartsWithNonHexWord()
    {
        var key = GrainKeys.Tenant("cafe");

        Assert.Equal("tenant/cafe", key);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ABC")]
    [InlineData("0abc")]
    [InlineData("cafe")]
    [InlineData("123")]
    public void TenantIdOf_TenantKey_ReturnsTenantId(string tenantId)
    {
        var parsed = GrainKeys.TenantIdOf(GrainKeys.Tenant(tenantId));

        Assert.Equal(tenantId, parsed);
    }

    [Fact]
    public void TenantIdOf_OtherKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrainKeys.TenantIdOf("event/acme/evt-1"));
    }

    [Fact]
    public void Tenant_InvalidId_Throws()
    {
        Assert.Throws<MeshFlowValidationException>(() => GrainKeys.Tenant("a/b"));
    }

    [Fact]
    public void Event_ValidIds_JoinsWithSlashes()
    {
        var key = GrainKeys.Event("acme", "evt-1");

        Assert.Equal("event/acme/evt-1", key);
    }

    [Fact]
    public void Event_InvalidEventId_Throws()
    {
        Assert.Throws<MeshFlowValidationException>(() => GrainKeys.Event("acme", "evt/1"));
    }

    [Fact]
    public void DeliveryIdFor_SameInputs_SameId()
    {
        var first = GrainKeys.DeliveryIdFor("acme", "evt-1", "wh_000000000000000000000001");
        var second = GrainKeys.DeliveryIdFor("acme", "evt-1", "wh_000000000000000000000001");

        Assert.Equal(first, second);
        Assert.Matches(DeliveryIdPattern(), first);
    }

    [Fact]
    public void DeliveryIdFor_AnyInputChanged_DifferentId()
    {
        const string webhookId = "wh_000000000000000000000001";
        string[] ids =
        [
            GrainKeys.DeliveryIdFor("acme", "evt-1", webhookId),
            GrainKeys.DeliveryIdFor("ACME", "evt-1", webhookId),
            GrainKeys.DeliveryIdFor("acme", "evt-2", webhookId),
            GrainKeys.DeliveryIdFor("acme", "evt-1", "wh_000000000000000000000002"),
        ];

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NewDeliveryId_Format_PassesValidation()
    {
        var id = GrainKeys.NewDeliveryId();

        Assert.Matches(DeliveryIdPattern(), id);
        GrainKeys.ValidateDeliveryId(id);
        Assert.Equal("delivery/" + id, GrainKeys.Delivery(id));
    }

    [Fact]
    public void NewDeliveryId_TwoCalls_Differ()
    {
        Assert.NotEqual(GrainKeys.NewDeliveryId(), GrainKeys.NewDeliveryId());
    }

    [Fact]
    public void NewEventId_Format_PassesEventIdValidation()
    {
        var id = GrainKeys.NewEventId();

        Assert.Matches(EventIdPattern(), id);
        Validation.EventId(id);
    }

    [Fact]
    public void NewWebhookId_Format_PassesValidation()
    {
        var id = GrainKeys.NewWebhookId();

        Assert.Matches(WebhookIdPattern(), id);
        GrainKeys.ValidateWebhookId(id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dlv_0123")]
    [InlineData("dlv_0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("evt_0123456789abcdef0123456789abcdef")]
    [InlineData("dlv_0123456789abcdef0123456789abcdef0")]
    public void ValidateDeliveryId_Malformed_Rejected(string? deliveryId)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => GrainKeys.ValidateDeliveryId(deliveryId));

        Assert.StartsWith("Invalid delivery id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateDeliveryId_TrailingNewline_Rejected()
    {
        var id = GrainKeys.NewDeliveryId() + "\n";

        Assert.Throws<MeshFlowValidationException>(() => GrainKeys.ValidateDeliveryId(id));
    }

    [Fact]
    public void ValidateWebhookId_TrailingNewline_Rejected()
    {
        var id = GrainKeys.NewWebhookId() + "\n";

        Assert.Throws<MeshFlowValidationException>(() => GrainKeys.ValidateWebhookId(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wh_0123")]
    [InlineData("wh_0123456789ABCDEF01234567")]
    [InlineData("dlv_0123456789abcdef01234567")]
    public void ValidateWebhookId_Malformed_Rejected(string? webhookId)
    {
        var error = Assert.Throws<MeshFlowValidationException>(() => GrainKeys.ValidateWebhookId(webhookId));

        Assert.StartsWith("Invalid webhook id", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex("^dlv_[0-9a-f]{32}$")]
    private static partial Regex DeliveryIdPattern();

    [GeneratedRegex("^evt_[0-9a-f]{32}$")]
    private static partial Regex EventIdPattern();

    [GeneratedRegex("^wh_[0-9a-f]{24}$")]
    private static partial Regex WebhookIdPattern();
}
