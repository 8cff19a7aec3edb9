namespace MeshFlow.Grains;

/// <summary>
/// Names of the grain storage provider and of each grain class's state. Every grain class has its own state name,
/// because the storage row key is made of the state name and the grain key, not the grain class.
/// </summary>
public static class StorageNames
{
    /// <summary>The grain storage provider that the silo host registers.</summary>
    public const string Store = "meshflow";

    /// <summary>State name of the tenant registry.</summary>
    public const string TenantState = "tenant-registry";

    /// <summary>State name of a published event record.</summary>
    public const string EventState = "event-record";

    /// <summary>State name of a delivery.</summary>
    public const string DeliveryState = "delivery";

    /// <summary>State name of an alert rule.</summary>
    public const string AlertRuleState = "alert-rule";

    /// <summary>State name of a tenant's alert rule list.</summary>
    public const string AlertRegistryState = "alert-registry";

    /// <summary>State name of the list of rules watching one metric.</summary>
    public const string MetricState = "metric-watchers";
}
