using MeshFlow.Grains.Postgres;

namespace MeshFlow.Grains.Hosting;

/// <summary>Configures an Orleans client to find silo gateways in PostgreSQL.</summary>
public static class PostgresClientBuilderExtensions
{
    /// <summary>
    /// Adds the Orleans ADO.NET gateway list provider on Npgsql, which reads the active silos that
    /// <see cref="PostgresSiloBuilderExtensions.AddMeshFlowPostgresStorage"/> records.
    /// </summary>
    /// <exception cref="PostgresConnectionException">The connection string is invalid.</exception>
    public static IClientBuilder UseMeshFlowPostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PostgresConnections.Parse(connectionString);

        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresSiloBuilderExtensions.NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
    }
}
