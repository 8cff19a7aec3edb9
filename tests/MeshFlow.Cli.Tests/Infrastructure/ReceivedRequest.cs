namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>One request captured by <see cref="RecordingReceiver"/>: the raw body and the MeshFlow headers.</summary>
public sealed record ReceivedRequest(string Path, byte[] Body, string? Signature, string? EventType, string? DeliveryId);
