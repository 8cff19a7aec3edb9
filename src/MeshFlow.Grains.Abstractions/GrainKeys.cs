using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MeshFlow.Grains;

/// <summary>
/// Grain keys and generated ids. Every key starts with a word and a '/', so no key is ever read by Orleans as an
/// integer or a Guid, and distinct tenant ids such as "abc", "ABC" and "0abc" never share a grain.
/// </summary>
public static partial class GrainKeys
{
    private const string TenantPrefix = "tenant/";

    /// <summary>The key of a tenant's <see cref="ITenantGrain"/>.</summary>
    public static string Tenant(string tenantId)
    {
        Validation.TenantId(tenantId);
        return TenantPrefix + tenantId;
    }

    /// <summary>Returns the tenant id inside a key made by <see cref="Tenant"/>.</summary>
    public static string TenantIdOf(string tenantKey)
    {
        if (!tenantKey.StartsWith(TenantPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{tenantKey}' is not a tenant grain key.", nameof(tenantKey));
        }

        return tenantKey[TenantPrefix.Length..];
    }

    /// <summary>The key of the <see cref="IEventGrain"/> that records one published event.</summary>
    public static string Event(string tenantId, string eventId)
    {
        Validation.TenantId(tenantId);
        Validation.EventId(eventId);
        return $"event/{tenantId}/{eventId}";
    }

    /// <summary>The key of a delivery's <see cref="IDeliveryGrain"/>.</summary>
    public static string Delivery(string deliveryId)
    {
        ValidateDeliveryId(deliveryId);
        return "delivery/" + deliveryId;
    }

    /// <summary>The key of a tenant's <see cref="Alerts.IAlertRegistryGrain"/>.</summary>
    public static string AlertRegistry(string tenantId)
    {
        Validation.TenantId(tenantId);
        return "alert-rules/" + tenantId;
    }

    /// <summary>The key of the grain that evaluates one alert rule of a tenant.</summary>
    public static string AlertRule(string tenantId, string ruleName)
    {
        Validation.TenantId(tenantId);
        Alerts.AlertRule.ValidateName(ruleName);
        return $"alert-rule/{tenantId}/{ruleName}";
    }

    /// <summary>The key of a tenant's <see cref="Alerts.IMetricIngressGrain"/>.</summary>
    public static string MetricIngress(string tenantId)
    {
        Validation.TenantId(tenantId);
        return "metric-ingress/" + tenantId;
    }

    /// <summary>The key of the grain that lists the alert rules watching one metric of a tenant.</summary>
    public static string Metric(string tenantId, string metric)
    {
        Validation.TenantId(tenantId);
        Validation.MetricName(metric);
        return $"metric/{tenantId}/{metric}";
    }

    /// <summary>
    /// Derives the delivery id of one event to one webhook, so publishing the same event again reaches the same
    /// delivery grain.
    /// </summary>
    public static string DeliveryIdFor(string tenantId, string eventId, string webhookId)
    {
        var material = Encoding.UTF8.GetBytes($"{tenantId}\n{eventId}\n{webhookId}");
        var hash = SHA256.HashData(material);
        return "dlv_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Generates a random delivery id for an ad-hoc send.</summary>
    public static string NewDeliveryId() => "dlv_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Generates a random event id for an event published without one.</summary>
    public static string NewEventId() => "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Generates a random webhook id.</summary>
    public static string NewWebhookId() => "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Throws <see cref="MeshFlowValidationException"/> unless <paramref name="deliveryId"/> is well formed.</summary>
    public static void ValidateDeliveryId(string? deliveryId)
    {
        if (deliveryId is null || !DeliveryIdPattern().IsMatch(deliveryId))
        {
            throw new MeshFlowValidationException(
                $"Invalid delivery id '{deliveryId}': expected 'dlv_' followed by 32 lowercase hex digits, "
                + "as printed by 'meshflow events publish'.");
        }
    }

    /// <summary>Throws <see cref="MeshFlowValidationException"/> unless <paramref name="webhookId"/> is well formed.</summary>
    public static void ValidateWebhookId(string? webhookId)
    {
        if (webhookId is null || !WebhookIdPattern().IsMatch(webhookId))
        {
            throw new MeshFlowValidationException(
                $"Invalid webhook id '{webhookId}': expected 'wh_' followed by 24 lowercase hex digits, "
                + "as printed by 'meshflow webhooks list'.");
        }
    }

    [GeneratedRegex("^dlv_[0-9a-f]{32}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DeliveryIdPattern();

    [GeneratedRegex("^wh_[0-9a-f]{24}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookIdPattern();
}
