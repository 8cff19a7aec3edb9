using System.Globalization;
using MeshFlow.Grains;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Writes service records as concise text for people.
/// </summary>
/// <remarks>
/// Free text that users or receivers supply, such as a webhook description, is written with its control characters
/// escaped (see <see cref="OutputFormat.EscapeControlCharacters"/>), so it cannot break a table row or send escape
/// sequences to the terminal. The <c>--json</c> output carries the exact text.
/// </remarks>
internal static class TextOutput
{
    private const string None = "-";

    public static void WriteWebhook(TextWriter writer, Webhook webhook)
    {
        WriteField(writer, "ID", webhook.Id);
        WriteField(writer, "Tenant", webhook.TenantId);
        WriteField(writer, "URL", webhook.Url);
        WriteField(writer, "Events", string.Join(", ", webhook.Events));
        WriteField(writer, "Description", Describe(webhook));
        WriteField(writer, "Enabled", webhook.Enabled ? "yes" : "no");
        if (webhook.DisabledReason is { } reason)
        {
            WriteField(writer, "Why disabled", OutputFormat.EscapeControlCharacters(reason));
        }

        WriteField(writer, "Created", OutputFormat.Timestamp(webhook.CreatedAt));
    }

    /// <summary>
    /// Writes one row per webhook under a header, with columns padded to the widest value, followed by one line per
    /// disabled webhook that gives the reason it was disabled.
    /// </summary>
    public static void WriteWebhookTable(TextWriter writer, string tenantId, IReadOnlyList<Webhook> webhooks)
    {
        if (webhooks.Count == 0)
        {
            writer.WriteLine($"No webhooks for tenant '{tenantId}'. Add one with 'meshflow webhooks add'.");
            return;
        }

        string[] header = ["ID", "ENABLED", "EVENTS", "URL", "DESCRIPTION"];
        var rows = webhooks
            .Select(w => new[] { w.Id, w.Enabled ? "yes" : "no", string.Join(",", w.Events), w.Url, Describe(w) });
        TextTable.Write(writer, [header, .. rows]);

        WriteDisabledReasons(writer, webhooks);
    }

    public static void WritePublished(TextWriter writer, string eventType, PublishResult result)
    {
        if (result.DeliveryIds.Count == 0)
        {
            writer.WriteLine(
                $"Published {result.EventId}; no enabled webhook subscribes to {eventType}, so nothing was sent.");
            return;
        }

        var noun = result.DeliveryIds.Count == 1 ? "delivery" : "deliveries";
        writer.WriteLine($"Published {result.EventId} with {result.DeliveryIds.Count} {noun}:");
        foreach (var deliveryId in result.DeliveryIds)
        {
            writer.WriteLine($"  {deliveryId}");
        }
    }

    public static void WriteDelivery(TextWriter writer, DeliveryInfo delivery)
    {
        WriteField(writer, "ID", delivery.Id);
        WriteField(writer, "Tenant", delivery.TenantId);
        WriteField(writer, "Status", OutputFormat.Status(delivery.Status));
        WriteField(writer, "Event", delivery.EventType ?? None);
        WriteField(writer, "Event ID", delivery.EventId ?? None);
        WriteField(writer, "Webhook", delivery.WebhookId ?? "(ad hoc)");
        WriteField(writer, "URL", delivery.Url);
        WriteField(writer, "Next attempt", delivery.NextAttemptAt is { } next ? OutputFormat.Timestamp(next) : None);
        writer.WriteLine(delivery.Attempts.Count == 0 ? "Attempts:     none yet" : "Attempts:");
        foreach (var attempt in delivery.Attempts)
        {
            var status = attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no response";
            var line = $"  #{attempt.Number}  {OutputFormat.Timestamp(attempt.StartedAt)}  {status}  {attempt.DurationMs} ms";
            writer.WriteLine(
                attempt.Error is null ? line : $"{line}  {OutputFormat.EscapeControlCharacters(attempt.Error)}");
        }
    }

    public static void WriteMigration(TextWriter writer, MigrationReport report)
    {
        if (report.Applied.Count == 0)
        {
            var newer = report.CurrentVersion > SchemaMigrator.RequiredVersion
                ? $", newer than version {SchemaMigrator.RequiredVersion} that this build ships"
                : string.Empty;
            writer.WriteLine($"Schema already at version {report.CurrentVersion}{newer}; nothing to apply.");
            return;
        }

        var applied = string.Join(", ", report.Applied.Select(OutputFormat.ScriptName));
        writer.WriteLine($"Applied {applied}. Schema is at version {report.CurrentVersion}.");
    }

    // The JSON documents have no field for the reason, so the text output is where people find it.
    private static void WriteDisabledReasons(TextWriter writer, IReadOnlyList<Webhook> webhooks)
    {
        var disabled = webhooks.Where(w => !w.Enabled && w.DisabledReason is not null).ToList();
        if (disabled.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        foreach (var webhook in disabled)
        {
            var reason = OutputFormat.EscapeControlCharacters(webhook.DisabledReason!);
            writer.WriteLine($"Why {webhook.Id} is disabled: {reason}");
        }
    }

    private static string Describe(Webhook webhook) =>
        webhook.Description is null ? None : OutputFormat.EscapeControlCharacters(webhook.Description);

    private static void WriteField(TextWriter writer, string name, string value) =>
        writer.WriteLine($"{name + ":",-14}{value}");
}
