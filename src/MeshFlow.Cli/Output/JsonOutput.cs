using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MeshFlow.Cli.Parsing;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Converts service records to the <c>--json</c> documents and writes them.
/// </summary>
internal static class JsonOutput
{
    // The relaxed encoder keeps non-ASCII text readable in a terminal. The output is never embedded in HTML.
    private static readonly CliJsonContext Indented = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    });

    private static readonly CliJsonContext Compact = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write(TextWriter writer, Webhook webhook) =>
        Write(writer, ToDocument(webhook), Indented.WebhookDocument);

    public static void Write(TextWriter writer, IReadOnlyList<Webhook> webhooks) =>
        Write(writer, [.. webhooks.Select(ToDocument)], Indented.IReadOnlyListWebhookDocument);

    public static void Write(TextWriter writer, PublishResult result) =>
        Write(writer, new PublishDocument(result.EventId, result.DeliveryIds), Indented.PublishDocument);

    public static void Write(TextWriter writer, DeliveryInfo delivery) =>
        Write(writer, ToDocument(delivery), Indented.DeliveryDocument);

    public static void Write(TextWriter writer, MigrationReport report) =>
        Write(
            writer,
            new MigrationDocument(
                [.. report.Applied.Select(OutputFormat.ScriptName)],
                [.. report.AlreadyPresent.Select(OutputFormat.ScriptName)],
                report.CurrentVersion),
            Indented.MigrationDocument);

    public static void Write(TextWriter writer, SchemaStatus status) =>
        Write(
            writer,
            new SchemaStatusDocument(
                status.State.ToString().ToLowerInvariant(),
                status.CurrentVersion,
                status.RequiredVersion,
                status.IsReady),
            Indented.SchemaStatusDocument);

    /// <summary>
    /// Writes the rule that <c>alerts add</c> stored, with the secret only when the service generated it.
    /// </summary>
    public static void Write(TextWriter writer, string tenantId, AlertRuleAdded added) =>
        Write(writer, ToDocument(tenantId, added.Rule, added.GeneratedSecret), Indented.AlertRuleDocument);

    public static void Write(TextWriter writer, string tenantId, AlertRule rule) =>
        Write(writer, ToDocument(tenantId, rule, generatedSecret: null), Indented.AlertRuleDocument);

    public static void Write(TextWriter writer, string tenantId, IReadOnlyList<AlertRule> rules) =>
        Write(
            writer,
            [.. rules.Select(rule => ToDocument(tenantId, rule, generatedSecret: null))],
            Indented.IReadOnlyListAlertRuleDocument);

    public static void Write(TextWriter writer, IReadOnlyList<AlertEvaluation> evaluations) =>
        Write(writer, [.. evaluations.Select(ToDocument)], Indented.IReadOnlyListAlertEvaluationDocument);

    public static void Write(TextWriter writer, MetricRecordResult result) =>
        Write(writer, new MetricRecordDocument(result.Accepted), Indented.MetricRecordDocument);

    /// <summary>Writes one received request as a single line, so a stream of them is JSON Lines.</summary>
    public static void WriteLine(TextWriter writer, ReceivedDocument received) =>
        writer.WriteLine(JsonSerializer.Serialize(received, Compact.ReceivedDocument));

    private static void Write<T>(TextWriter writer, T document, JsonTypeInfo<T> typeInfo) =>
        writer.WriteLine(JsonSerializer.Serialize(document, typeInfo));

    private static WebhookDocument ToDocument(Webhook webhook) => new(
        webhook.Id,
        webhook.TenantId,
        webhook.Url,
        webhook.Events,
        webhook.Description,
        webhook.Enabled,
        OutputFormat.Timestamp(webhook.CreatedAt));

    private static DeliveryDocument ToDocument(DeliveryInfo delivery) => new(
        delivery.Id,
        delivery.TenantId,
        delivery.WebhookId,
        delivery.Url,
        delivery.EventType,
        delivery.EventId,
        OutputFormat.Status(delivery.Status),
        [.. delivery.Attempts.Select(ToDocument)],
        delivery.NextAttemptAt is { } next ? OutputFormat.Timestamp(next) : null);

    private static AlertRuleDocument ToDocument(string tenantId, AlertRule rule, string? generatedSecret) => new(
        rule.Name,
        tenantId,
        rule.Metric,
        rule.Threshold,
        rule.WindowSeconds,
        EnumNames.Format(rule.Aggregation),
        EnumNames.Format(rule.Comparison),
        rule.ForSeconds,
        rule.RepeatSeconds,
        rule.Event,
        rule.WebhookUrl,
        generatedSecret);

    private static AlertEvaluationDocument ToDocument(AlertEvaluation evaluation) => new(
        evaluation.RuleName,
        OutputFormat.AlertState(evaluation.State),
        evaluation.Value,
        evaluation.Threshold);

    private static AttemptDocument ToDocument(DeliveryAttempt attempt) => new(
        attempt.Number,
        OutputFormat.Timestamp(attempt.StartedAt),
        attempt.StatusCode,
        attempt.Error,
        attempt.DurationMs);
}
