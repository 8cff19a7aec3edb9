namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>A grain state type for storage tests.</summary>
public sealed class StoredText
{
    public string Text { get; set; } = "";
}
