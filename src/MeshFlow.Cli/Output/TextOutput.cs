using System.Globalization;
using MeshFlow.Grains;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Writes service records as concise text for people.
/// </summary>
internal static class TextOutput
{
    private const string None = "-";

    public static void WriteWebhook(TextWriter writer, Webhook webhook)
    {
        WriteField(writer, "ID", webhook.Id);
        WriteField(writer, "Tenant", webhook.TenantId);
        WriteField(writer, "URL", webhook.Url);
        WriteField(writer, "Events", string.Join(", ", webhook.Events));
        WriteField(writer, "Description", webhook.Description ?? None);
        WriteField(writer, "Enabled", webhook.Enabled ? "yes" : "no");
        if (webhook.DisabledReason is { } reason)
        {
            WriteField(writer, "Why disabled", reason);
        }

        WriteField(writer, "Created", OutputFormat.Timestamp(webhook.CreatedAt));
    }

    /// <summary>Writes one row per webhook under a header, with columns padded to the widest value.</summary>
    public static void WriteWebhookTable(TextWriter writer, string tenantId, IReadOnlyList<Webhook> webhooks)
    {
        if (webhooks.Count == 0)
        {
            writer.WriteLine($"No webhooks for tenant '{tenantId}'. Add one with 'meshflow webhooks add'.");
            return;
        }

        string[] header = ["ID", "ENABLED", "EVENTS", "URL", "DESCRIPTION"];
        var rows = webhooks
            .Select(w => new[] { w.Id, w.Enabled ? "yes" : "no", string.Join(",", w.Events), w.Url, w.Description ?? None })
            .ToList();
        var widths = header.Select((title, column) => rows.Max(row => row[column].Length)).ToArray();
        for (var column = 0; column < header.Length; column++)
        {
            widths[column] = Math.Max(widths[column], header[column].Length);
        }

        WriteRow(writer, header, widths);
        foreach (var row in rows)
        {
            WriteRow(writer, row, widths);
        }
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
            writer.WriteLine(attempt.Error is null ? line : $"{line}  {attempt.Error}");
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

    private static void WriteField(TextWriter writer, string name, string value) =>
        writer.WriteLine($"{name + ":",-14}{value}");

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        var padded = cells.Select((cell, column) => column == cells.Length - 1 ? cell : cell.PadRight(widths[column]));
        writer.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
