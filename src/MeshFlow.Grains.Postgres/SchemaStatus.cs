namespace MeshFlow.Grains.Postgres;

/// <summary>A database's schema version, compared with what this build requires.</summary>
/// <param name="State">How the versions compare.</param>
/// <param name="CurrentVersion">The highest applied script number, or null when the schema is missing.</param>
/// <param name="RequiredVersion">The highest script number this build ships.</param>
/// <param name="Message">A sentence for operators; when the schema is missing or outdated it names the command to run.</param>
public sealed record SchemaStatus(SchemaState State, int? CurrentVersion, int RequiredVersion, string Message)
{
    /// <summary>Whether a silo of this build can use the database: the schema is current or newer.</summary>
    /// <remarks>
    /// NOTE: counting a newer schema as ready assumes later scripts keep working for older builds (they add
    /// objects or replace query texts with compatible ones). Nothing checks that assumption.
    /// </remarks>
    public bool IsReady => State is SchemaState.Current or SchemaState.Newer;
}
