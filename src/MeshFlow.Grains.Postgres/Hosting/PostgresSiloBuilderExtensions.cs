using MeshFlow.Grains.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Grains.Hosting;

/// <summary>Configures a silo to keep membership, grain state and reminders in PostgreSQL.</summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant name under which Orleans loads Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Adds the Orleans ADO.NET clustering, grain storage named <see cref="StorageNames.Store"/> (state stored as
    /// JSON by <see cref="StateJsonSerializer"/>) and the ADO.NET reminder service, all on Npgsql. Before any of
    /// them starts, the silo checks that the database has the schema version this build requires and fails to
    /// start with the migrate command in the message when it does not.
    /// </summary>
    /// <param name="builder">The silo to configure.</param>
    /// <param name="connectionString">An Npgsql connection string to a database migrated by
    /// <see cref="SchemaMigrator.MigrateAsync"/>.</param>
    /// <exception cref="PostgresConnectionException">The connection string is invalid.</exception>
    public static ISiloBuilder AddMeshFlowPostgresStorage(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PostgresConnections.Parse(connectionString);

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            new SchemaStartCheck(connectionString));

        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });

        builder.AddAdoNetGrainStorage(StorageNames.Store, options =>
        {
            // The option defaults to the SQL Server client, so it must be set here.
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = new StateJsonSerializer();
        });

        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });

        return builder;
    }
}
