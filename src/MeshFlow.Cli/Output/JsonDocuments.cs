using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshFlow.Cli.Output;

/// <summary>A webhook as printed by <c>--json</c>, without the secret.</summary>
internal sealed record WebhookDocument(
    string Id,
    string TenantId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    bool Enabled,
    string CreatedAt);

/// <summary>The result of <c>events publish --json</c>.</summary>
internal sealed record PublishDocument(string EventId, IReadOnlyList<string> Deliveries);

/// <summary>A delivery and its attempts as printed by <c>--json</c>.</summary>
internal sealed record DeliveryDocument(
    string Id,
    string TenantId,
    string? WebhookId,
    string Url,
    string? Event,
    string? EventId,
    string Status,
    IReadOnlyList<AttemptDocument> Attempts,
    string? NextAttemptAt);

/// <summary>One attempt of a delivery as printed by <c>--json</c>.</summary>
internal sealed record AttemptDocument(int Number, string StartedAt, int? StatusCode, string? Error, long DurationMs);

/// <summary>
/// One verified request received by <c>listen --json</c>. The body is embedded as JSON when it parses, and as a
/// string otherwise.
/// </summary>
internal sealed record ReceivedDocument(string ReceivedAt, string? DeliveryId, string? Event, JsonElement Body);

/// <summary>
/// The result of <c>db migrate --json</c>: the scripts this run applied and those the database already had, each
/// named like its file without the extension, such as <c>0003_clustering</c>, and the schema version afterwards.
/// </summary>
internal sealed record MigrationDocument(
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> AlreadyApplied,
    int Version);

/// <summary>
/// The result of <c>db status --json</c>. <c>State</c> is <c>missing</c>, <c>outdated</c>, <c>current</c> or
/// <c>newer</c>, and <c>Version</c> is null when the schema is missing.
/// </summary>
internal sealed record SchemaStatusDocument(string State, int? Version, int RequiredVersion, bool Ready);

/// <summary>
/// An alert rule as printed by <c>--json</c>. <c>Aggregation</c> and <c>Comparison</c> are lowercase names such as
/// <c>sum</c> and <c>gt</c>, and <c>RepeatSeconds</c> is null when the rule sends no repeats. <c>Secret</c> is set
/// only in the output of <c>alerts add</c> when the service generated the secret, and is left out otherwise.
/// </summary>
internal sealed record AlertRuleDocument(
    string Name,
    string TenantId,
    string Metric,
    double Threshold,
    int WindowSeconds,
    string Aggregation,
    string Comparison,
    int ForSeconds,
    int? RepeatSeconds,
    string Event,
    string WebhookUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret);

/// <summary>
/// One rule's state as printed by <c>alerts evaluate --json</c>. <c>State</c> is <c>inactive</c>, <c>pending</c>
/// or <c>firing</c>, and <c>Value</c> is null when the window has no samples.
/// </summary>
internal sealed record AlertEvaluationDocument(string RuleName, string State, double? Value, double Threshold);

/// <summary>The result of <c>metrics record --json</c>: how many samples the service accepted.</summary>
internal sealed record MetricRecordDocument(int Accepted);
