using System.Text.Json;
using MeshFlow.Grains.Tenants;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Tenants;

public sealed class TenantRegistryTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "registry-secret-5f1c";

    // Nothing listens on the discard port, and no test in this class publishes, so no request is ever sent.
    private const string LoopbackBaseUrl = "http://127.0.0.1:9/";

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Register_ValidWebhook_ReturnsViewWithoutSecret()
    {
        var before = Cluster.Clock.GetUtcNow();

        var webhook = await Cluster.Tenant("registry-register").RegisterWebhookAsync(new WebhookRegistration(
            LoopbackBaseUrl + "meshflow-events",
            Secret,
            [EventTypes.PolicyViolation, EventTypes.HitlPending, EventTypes.PolicyViolation],
            "on-call pager"));

        Assert.Matches("^wh_[0-9a-f]{24}$", webhook.Id);
        Assert.Equal("registry-register", webhook.TenantId);
        Assert.Equal(LoopbackBaseUrl + "meshflow-events", webhook.Url);
        Assert.Equal([EventTypes.PolicyViolation, EventTypes.HitlPending], webhook.Events);
        Assert.Equal("on-call pager", webhook.Description);
        Assert.True(webhook.Enabled);
        Assert.Null(webhook.DisabledReason);
        Assert.Equal(before, webhook.CreatedAt);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(webhook), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, webhook.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Webhooks_OldestFirstWithoutSecrets()
    {
        var tenant = Cluster.Tenant("registry-list");
        var first = await tenant.RegisterWebhookAsync(Registration("/first", EventTypes.SlaBreach));
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        var second = await tenant.RegisterWebhookAsync(Registration("/second", EventTypes.Wildcard));

        var webhooks = await tenant.ListWebhooksAsync();

        Assert.Equal([first.Id, second.Id], webhooks.Select(webhook => webhook.Id));
        Assert.Equal([LoopbackBaseUrl + "first", LoopbackBaseUrl + "second"], webhooks.Select(webhook => webhook.Url));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(webhooks), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RegisteredWebhook_ReturnsIt()
    {
        var tenant = Cluster.Tenant("registry-get");
        var registered = await tenant.RegisterWebhookAsync(Registration("/get", EventTypes.CollusionAlert));

        var webhook = await tenant.GetWebhookAsync(registered.Id);

        Assert.Equal(registered.Id, webhook.Id);
        Assert.Equal(registered.Url, webhook.Url);
        Assert.Equal(registered.Events, webhook.Events);
        Assert.Equal(registered.CreatedAt, webhook.CreatedAt);
    }

    [Fact]
    public async Task Remove_RegisteredWebhook_DropsIt()
    {
        var tenant = Cluster.Tenant("registry-remove");
        var remaining = await tenant.RegisterWebhookAsync(Registration("/remaining", EventTypes.Wildcard));
        var removed = await tenant.RegisterWebhookAsync(Registration("/removed", EventTypes.Wildcard));

        var result = await tenant.RemoveWebhookAsync(removed.Id);
        var webhooks = await tenant.ListWebhooksAsync();

        Assert.Equal(removed.Id, result.Id);
        Assert.Equal([remaining.Id], webhooks.Select(webhook => webhook.Id));
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => tenant.GetWebhookAsync(removed.Id));
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => tenant.RemoveWebhookAsync(removed.Id));
    }

    [Fact]
    public async Task SetEnabled_DisableThenEnable_UpdatesReason()
    {
        var tenant = Cluster.Tenant("registry-enable");
        var webhook = await tenant.RegisterWebhookAsync(Registration("/toggle", EventTypes.Wildcard));

        var disabled = await tenant.SetWebhookEnabledAsync(webhook.Id, enabled: false);
        var disabledAgain = await tenant.SetWebhookEnabledAsync(webhook.Id, enabled: false);
        var listedDisabled = Assert.Single(await tenant.ListWebhooksAsync());
        var enabled = await tenant.SetWebhookEnabledAsync(webhook.Id, enabled: true);
        var listedEnabled = Assert.Single(await tenant.ListWebhooksAsync());

        Assert.False(disabled.Enabled);
        Assert.Equal("disabled by an operator", disabled.DisabledReason);
        Assert.False(disabledAgain.Enabled);
        Assert.False(listedDisabled.Enabled);
        Assert.True(enabled.Enabled);
        Assert.Null(enabled.DisabledReason);
        Assert.True(listedEnabled.Enabled);
        Assert.Null(listedEnabled.DisabledReason);
    }

    [Fact]
    public async Task UnknownWebhookId_ThrowsNotFoundNamingId()
    {
        var tenant = Cluster.Tenant("registry-unknown");
        var unknownId = GrainKeys.NewWebhookId();

        var getError = await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => tenant.GetWebhookAsync(unknownId));
        var removeError = await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => tenant.RemoveWebhookAsync(unknownId));
        var enableError = await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => tenant.SetWebhookEnabledAsync(unknownId, enabled: true));

        Assert.Contains(unknownId, getError.Message, StringComparison.Ordinal);
        Assert.Contains(unknownId, removeError.Message, StringComparison.Ordinal);
        Assert.Contains(unknownId, enableError.Message, StringComparison.Ordinal);
        Assert.Contains("registry-unknown", getError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedWebhookId_ThrowsValidation()
    {
        var tenant = Cluster.Tenant("registry-malformed");

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(() => tenant.GetWebhookAsync("wh_123"));

        Assert.Contains("'wh_123'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookOfOtherTenant_ThrowsNotFound()
    {
        var owner = Cluster.Tenant("registry-owner");
        var webhook = await owner.RegisterWebhookAsync(Registration("/owned", EventTypes.Wildcard));

        var other = Cluster.Tenant("registry-other");

        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => other.GetWebhookAsync(webhook.Id));
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => other.RemoveWebhookAsync(webhook.Id));
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => other.SetWebhookEnabledAsync(webhook.Id, false));
        Assert.True((await owner.GetWebhookAsync(webhook.Id)).Enabled);
    }

    [Theory]
    [InlineData("/relative", Secret, EventTypes.PolicyViolation, "Invalid webhook URL")]
    [InlineData("ftp://example.com/x", Secret, EventTypes.PolicyViolation, "Invalid webhook URL")]
    [InlineData("https://user:pw@example.com/x", Secret, EventTypes.PolicyViolation, "Invalid webhook URL")]
    [InlineData(LoopbackBaseUrl + "x", "", EventTypes.PolicyViolation, "Missing webhook secret")]
    [InlineData(LoopbackBaseUrl + "x", "  ", EventTypes.PolicyViolation, "Missing webhook secret")]
    [InlineData(LoopbackBaseUrl + "x", "bad\u0001secret", EventTypes.PolicyViolation, "Invalid webhook secret")]
    [InlineData(LoopbackBaseUrl + "x", Secret, "policy-violation", "Unknown event type")]
    [InlineData(LoopbackBaseUrl + "x", Secret, "", "Unknown event type")]
    public async Task Register_InvalidInput_ThrowsAndStoresNothing(
        string url,
        string secret,
        string eventType,
        string messageStart)
    {
        var tenant = Cluster.Tenant("registry-invalid");

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => tenant.RegisterWebhookAsync(new WebhookRegistration(url, secret, [eventType])));

        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
        Assert.Empty(await tenant.ListWebhooksAsync());
    }

    [Fact]
    public async Task Register_NoEvents_StoresNothing()
    {
        var tenant = Cluster.Tenant("registry-no-events");

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => tenant.RegisterWebhookAsync(new WebhookRegistration(LoopbackBaseUrl + "x", Secret, [])));

        Assert.StartsWith("Missing event types", error.Message, StringComparison.Ordinal);
        Assert.Empty(await tenant.ListWebhooksAsync());
    }

    [Fact]
    public async Task Register_LongDescription_StoresNothing()
    {
        var tenant = Cluster.Tenant("registry-long-description");
        var description = new string('d', Validation.MaxDescriptionLength + 1);

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(() => tenant.RegisterWebhookAsync(
            new WebhookRegistration(LoopbackBaseUrl + "x", Secret, [EventTypes.Wildcard], description)));

        Assert.StartsWith("Invalid description", error.Message, StringComparison.Ordinal);
        Assert.Empty(await tenant.ListWebhooksAsync());
    }

    [Fact]
    public async Task Register_NullRegistration_ThrowsValidation()
    {
        var tenant = Cluster.Tenant("registry-null");

        await Assert.ThrowsAsync<MeshFlowValidationException>(() => tenant.RegisterWebhookAsync(null!));

        Assert.Empty(await tenant.ListWebhooksAsync());
    }

    [Fact]
    public async Task Register_BeyondMaximum_Rejected()
    {
        var tenant = Cluster.Tenant("registry-full");
        for (var i = 0; i < TenantGrain.MaxWebhooks; i++)
        {
            await tenant.RegisterWebhookAsync(Registration($"/{i}", EventTypes.Wildcard));
        }

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => tenant.RegisterWebhookAsync(Registration("/extra", EventTypes.Wildcard)));

        Assert.Contains("100 webhooks", error.Message, StringComparison.Ordinal);
        Assert.Equal(TenantGrain.MaxWebhooks, (await tenant.ListWebhooksAsync()).Count);
    }

    [Fact]
    public async Task Tenants_LookAlikeIds_HaveSeparateRegistries()
    {
        string[] tenantIds = ["abc", "ABC", "0abc", "cafe", "123"];

        foreach (var tenantId in tenantIds)
        {
            await Cluster.Tenant(tenantId).RegisterWebhookAsync(
                Registration($"/{tenantId}", EventTypes.Wildcard));
        }

        foreach (var tenantId in tenantIds)
        {
            var webhook = Assert.Single(await Cluster.Tenant(tenantId).ListWebhooksAsync());
            Assert.Equal(tenantId, webhook.TenantId);
            Assert.Equal(LoopbackBaseUrl + tenantId, webhook.Url);
        }
    }

    private static WebhookRegistration Registration(string path, string eventType) =>
        new(LoopbackBaseUrl + path.TrimStart('/'), Secret, [eventType]);
}
