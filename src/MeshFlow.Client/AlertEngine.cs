using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Client;

/// <summary>
/// Adds, lists, removes and evaluates a tenant's alert rules through its <see cref="IAlertRegistryGrain"/>.
/// </summary>
/// <remarks>
/// Inputs are validated with <see cref="AlertRule.Validate"/>, <see cref="AlertRule.ValidateName"/> and
/// <see cref="Validation"/> before any grain call, so an invalid value fails with
/// <see cref="MeshFlowValidationException"/> without a round trip. <see cref="MeshFlowNotFoundException"/> from the
/// grain reaches the caller unchanged. A cancellation token stops waiting for the grain's response, but it does not
/// cancel the grain call itself. Receivers check each notification with <see cref="WebhookSignature.Verify"/> and the
/// rule's secret.
/// </remarks>
public sealed class AlertEngine
{
    private readonly IGrainFactory grainFactory;

    public AlertEngine(IGrainFactory grainFactory)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        this.grainFactory = grainFactory;
    }

    /// <summary>
    /// Stores <paramref name="rule"/> and returns the stored rule. When <paramref name="secret"/> is <see langword="null"/>, the
    /// service generates a signing secret and returns it once in <see cref="AlertRuleAdded.GeneratedSecret"/>; no later
    /// call returns it. A rule of the same name is an error unless <paramref name="replace"/> is set, but adding the
    /// same rule again with the same secret succeeds and changes nothing.
    /// </summary>
    public async Task<AlertRuleAdded> AddRuleAsync(
        string tenantId,
        AlertRule rule,
        string? secret = null,
        bool replace = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);

        var registry = GetRegistry(tenantId);
        AlertRule.Validate(rule);
        if (secret is not null)
        {
            Validation.Secret(secret);
        }

        return await registry.AddRuleAsync(rule, secret, replace).WaitAsync(cancellationToken);
    }

    /// <summary>Returns the tenant's alert rules, ordered by name. Secrets are never returned.</summary>
    public async Task<IReadOnlyList<AlertRule>> ListRulesAsync(
        string tenantId,
        CancellationToken cancellationToken = default)
    {
        var registry = GetRegistry(tenantId);
        return await registry.ListRulesAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Removes one rule and returns it, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    public async Task<AlertRule> RemoveRuleAsync(
        string tenantId,
        string name,
        CancellationToken cancellationToken = default)
    {
        var registry = GetRegistry(tenantId);
        AlertRule.ValidateName(name);
        return await registry.RemoveRuleAsync(name).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Evaluates the rule named <paramref name="name"/>, or every rule of the tenant when it is
    /// <see langword="null"/>, sends the notifications that are due, and returns each rule's state ordered by name.
    /// An unknown name throws <see cref="MeshFlowNotFoundException"/>.
    /// </summary>
    public async Task<IReadOnlyList<AlertEvaluation>> EvaluateAsync(
        string tenantId,
        string? name = null,
        CancellationToken cancellationToken = default)
    {
        var registry = GetRegistry(tenantId);
        if (name is not null)
        {
            AlertRule.ValidateName(name);
        }

        return await registry.EvaluateAsync(name).WaitAsync(cancellationToken);
    }

    private IAlertRegistryGrain GetRegistry(string tenantId) =>
        grainFactory.GetGrain<IAlertRegistryGrain>(GrainKeys.AlertRegistry(tenantId));
}
