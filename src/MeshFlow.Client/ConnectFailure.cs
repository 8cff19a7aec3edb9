using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MeshFlow.Client;

/// <summary>
/// Builds the <see cref="MeshFlowConnectionException"/> for a connect that failed or passed its deadline, naming the
/// step that failed: reading the gateway list from the database, finding no live gateway in it, or reaching the
/// gateways. Messages name the cluster id and the database host, and never contain the connection string.
/// </summary>
internal static class ConnectFailure
{
    private const string MigrateHint = "Create the MeshFlow schema with 'meshflow db migrate'";

    /// <summary>
    /// Describes the failure from the options and what the gateway list provider in <paramref name="services"/>
    /// recorded. <paramref name="cause"/> is null when the deadline passed.
    /// </summary>
    public static MeshFlowConnectionException Describe(
        IServiceProvider services,
        MeshFlowClientOptions options,
        Exception? cause)
    {
        var seconds = options.ConnectTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (!options.ReadsGatewaysFromDatabase)
        {
            var gateways = options.StaticGateways;
            return new MeshFlowConnectionException(
                $"Cannot reach the MeshFlow {GatewayNoun(gateways)} at {string.Join(", ", gateways)} within "
                + $"{seconds} s: is a silo running there?",
                gateways,
                cause);
        }

        var provider = services.GetRequiredService<DatabaseGatewayListProvider>();
        var cluster = options.ClusterId;
        var database = ClusterDatabase.Parse(options.ConnectionString!);
        if (provider.LastError is { } databaseError)
        {
            return new MeshFlowConnectionException(
                $"Cannot read the gateways of MeshFlow cluster '{cluster}' from PostgreSQL at {database}: "
                + $"{DescribeDatabaseError(databaseError)}.",
                [],
                databaseError);
        }

        if (provider.LastGateways is not { } listed)
        {
            return new MeshFlowConnectionException(
                $"Cannot read the gateways of MeshFlow cluster '{cluster}' from PostgreSQL at {database} within "
                + $"{seconds} s: the database did not answer. Check that the server is running and reachable.",
                [],
                cause);
        }

        if (listed.Count == 0)
        {
            return new MeshFlowConnectionException(
                $"No live gateway of MeshFlow cluster '{cluster}' is listed in PostgreSQL at {database}: start a "
                + "silo with that cluster id on this database, or check the cluster id.",
                [],
                cause);
        }

        return new MeshFlowConnectionException(
            $"Cannot reach the MeshFlow {GatewayNoun(listed)} at {string.Join(", ", listed)} of cluster '{cluster}', "
            + $"listed in PostgreSQL at {database}, within {seconds} s: is a silo running there?",
            listed,
            cause);
    }

    private static string GatewayNoun(IReadOnlyList<string> gateways) => gateways.Count == 1 ? "gateway" : "gateways";

    // PostgreSQL's own texts name the object or user, never the password, so they are safe to show.
    private static string DescribeDatabaseError(DbException exception)
    {
        if (exception is PostgresException postgres)
        {
            return postgres.SqlState switch
            {
                PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction =>
                    $"{postgres.MessageText}, so the database has no MeshFlow schema. {MigrateHint}",
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"the server rejected the login ({postgres.MessageText}). Check Username and Password",
                PostgresErrorCodes.InvalidCatalogName =>
                    $"{postgres.MessageText}. Fix Database, or create the database and run 'meshflow db migrate'",
                _ => $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})",
            };
        }

        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused. Check that the server is running and that Host and Port are right";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData }:
                    return "host name not found. Check Host";
                case SocketException socket:
                    return socket.Message;
                case TimeoutException:
                    return "timed out within the connect timeout. Check that the server is running and reachable";
            }
        }

        return exception.Message;
    }
}
