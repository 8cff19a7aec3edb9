using System.Text.Json.Serialization;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Source-generated serializers for the <c>--json</c> documents.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WebhookDocument))]
[JsonSerializable(typeof(IReadOnlyList<WebhookDocument>))]
[JsonSerializable(typeof(PublishDocument))]
[JsonSerializable(typeof(DeliveryDocument))]
[JsonSerializable(typeof(ReceivedDocument))]
[JsonSerializable(typeof(MigrationDocument))]
[JsonSerializable(typeof(SchemaStatusDocument))]
[JsonSerializable(typeof(AlertRuleDocument))]
[JsonSerializable(typeof(IReadOnlyList<AlertRuleDocument>))]
[JsonSerializable(typeof(IReadOnlyList<AlertEvaluationDocument>))]
[JsonSerializable(typeof(MetricRecordDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
