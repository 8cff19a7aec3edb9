namespace MeshFlow.Grains.Postgres;

/// <summary>How a database's schema version compares with <see cref="SchemaMigrator.RequiredVersion"/>.</summary>
public enum SchemaState
{
    /// <summary>The MeshFlow version table is absent or empty.</summary>
    Missing,

    /// <summary>Some scripts are applied, but not all that this build requires.</summary>
    Outdated,

    /// <summary>Exactly the scripts this build requires are applied.</summary>
    Current,

    /// <summary>A newer build applied scripts that this build does not know.</summary>
    Newer,
}
