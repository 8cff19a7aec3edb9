namespace MeshFlow.Grains;

/// <summary>
/// Governance event types that tenants subscribe webhooks to.
/// </summary>
public static class EventTypes
{
    /// <summary>A step is blocked by a policy rule.</summary>
    public const string PolicyViolation = "policy_violation";

    /// <summary>A cost cap guardrail fires.</summary>
    public const string BudgetExceeded = "budget_exceeded";

    /// <summary>A workflow pauses for human approval.</summary>
    public const string HitlPending = "hitl_pending";

    /// <summary>Agent collusion is detected.</summary>
    public const string CollusionAlert = "collusion_alert";

    /// <summary>Agent latency exceeds its SLA contract.</summary>
    public const string SlaBreach = "sla_breach";

    /// <summary>The subscription that matches every event type.</summary>
    public const string Wildcard = "*";

    /// <summary>The five governance event types, in documentation order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [PolicyViolation, BudgetExceeded, HitlPending, CollusionAlert, SlaBreach];

    /// <summary>Returns whether <paramref name="eventType"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? eventType) => eventType is not null && All.Contains(eventType, StringComparer.Ordinal);

    /// <summary>Builds the error message for an unknown subscription type, listing the valid ones.</summary>
    public static string DescribeUnknown(string? eventType) =>
        $"Unknown event type '{eventType}'. Valid types are: {string.Join(", ", All)}, or '*' for all of them "
        + "(quote '*' so the shell does not expand it).";

    /// <summary>Builds the error message for publishing a type that is not one of <see cref="All"/>.</summary>
    public static string DescribeUnknownPublished(string? eventType) =>
        $"Unknown event type '{eventType}'. Valid types are: {string.Join(", ", All)}; an event has exactly one.";
}
