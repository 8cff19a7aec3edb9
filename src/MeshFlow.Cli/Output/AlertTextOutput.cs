using System.Globalization;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Writes alert rules, evaluations and metric results as concise text for people.
/// </summary>
internal static class AlertTextOutput
{
    private const string None = "-";

    /// <summary>
    /// Writes the rule that <c>alerts add</c> stored and, when the service generated the secret, the secret with a
    /// line saying that it is shown only this once.
    /// </summary>
    public static void WriteAdded(TextWriter writer, string tenantId, AlertRuleAdded added)
    {
        var rule = added.Rule;
        if (added.Unchanged)
        {
            writer.WriteLine(
                $"Alert rule {rule.Name} (tenant {tenantId}) already has these settings; nothing changed: {Describe(rule)}.");
            return;
        }

        var verb = added.Replaced ? "Replaced" : "Added";
        writer.WriteLine($"{verb} alert rule {rule.Name} (tenant {tenantId}): {Describe(rule)}.");
        if (added.GeneratedSecret is { } secret)
        {
            writer.WriteLine($"Signing secret: {secret}");
            writer.WriteLine(
                "The secret is shown only this once. Store it now: receivers need it to verify X-MeshFlow-Signature.");
        }
    }

    public static void WriteRemoved(TextWriter writer, string tenantId, AlertRule rule) =>
        writer.WriteLine($"Removed alert rule {rule.Name} (tenant {tenantId}, metric {rule.Metric}).");

    /// <summary>Writes one row per rule under a header, with columns padded to the widest value.</summary>
    public static void WriteRuleTable(TextWriter writer, string tenantId, IReadOnlyList<AlertRule> rules)
    {
        if (rules.Count == 0)
        {
            WriteNoRules(writer, tenantId);
            return;
        }

        string[] header = ["NAME", "METRIC", "CONDITION", "FOR", "REPEAT", "EVENT", "WEBHOOK URL"];
        var rows = rules.Select(rule => new[]
        {
            rule.Name,
            rule.Metric,
            AlertText.Condition(rule),
            Seconds(rule.ForSeconds),
            rule.RepeatSeconds is { } repeat ? Seconds(repeat) : None,
            rule.Event,
            rule.WebhookUrl,
        });
        TextTable.Write(writer, [header, .. rows]);
    }

    /// <summary>
    /// Writes one line per rule: its name, its state and the service's description of the evaluation, noting a
    /// rule that has not yet observed a full window.
    /// </summary>
    public static void WriteEvaluations(TextWriter writer, string tenantId, IReadOnlyList<AlertEvaluation> evaluations)
    {
        if (evaluations.Count == 0)
        {
            WriteNoRules(writer, tenantId);
            return;
        }

        var rows = evaluations.Select(evaluation => new[]
        {
            evaluation.RuleName,
            OutputFormat.AlertState(evaluation.State),
            Describe(evaluation),
        });
        TextTable.Write(writer, [.. rows]);
    }

    public static void WriteRecorded(TextWriter writer, string tenantId, string metric, MetricRecordResult result)
    {
        var noun = result.Accepted == 1 ? "sample" : "samples";
        writer.WriteLine($"Recorded {result.Accepted} {noun} of {metric} (tenant {tenantId}).");
    }

    private static void WriteNoRules(TextWriter writer, string tenantId) =>
        writer.WriteLine($"No alert rules for tenant '{tenantId}'. Add one with 'meshflow alerts add'.");

    // Reads like the service's evaluation descriptions, such as "agent.cost_usd sum over 60 s > 1.0".
    private static string Describe(AlertRule rule)
    {
        var description = $"{rule.Metric} {AlertText.Condition(rule)}";
        if (rule.ForSeconds > 0)
        {
            description += $", held for {Seconds(rule.ForSeconds)}";
        }

        if (rule.RepeatSeconds is { } repeat)
        {
            description += $", repeated every {Seconds(repeat)}";
        }

        return $"{description}; sends '{rule.Event}' events to {rule.WebhookUrl}";
    }

    private static string Describe(AlertEvaluation evaluation)
    {
        var description = OutputFormat.EscapeControlCharacters(evaluation.Description);
        return evaluation.HasFullWindow ? description : $"{description} (no full window observed yet)";
    }

    private static string Seconds(int seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds} s");
}
