namespace MeshFlow.Grains.Postgres;

/// <summary>Thrown when a migration script fails. The failed script's changes are rolled back.</summary>
public sealed class SchemaMigrationException : Exception
{
    public SchemaMigrationException()
    {
    }

    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
