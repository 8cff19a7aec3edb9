namespace MeshFlow.Grains.Postgres;

/// <summary>The outcome of <see cref="SchemaMigrator.MigrateAsync"/>.</summary>
/// <param name="Applied">Scripts this run applied, in order.</param>
/// <param name="AlreadyPresent">Scripts the database already had, in order.</param>
/// <param name="CurrentVersion">The database's schema version after the run.</param>
public sealed record MigrationReport(
    IReadOnlyList<MigrationScript> Applied,
    IReadOnlyList<MigrationScript> AlreadyPresent,
    int CurrentVersion);
