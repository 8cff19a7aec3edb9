using System.Data;
using Npgsql;

namespace MeshFlow.Grains.Postgres;

/// <summary>
/// Applies the numbered scripts in sql/ (embedded in this assembly) to a PostgreSQL database and reports its
/// schema version.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>The schema version this build requires, which is the highest script number.</summary>
    public const int RequiredVersion = 5;

    /// <summary>The oldest PostgreSQL major version the scripts run on (they use UNIQUE NULLS NOT DISTINCT).</summary>
    public const int MinimumServerMajorVersion = 15;

    /// <summary>
    /// The key of the session advisory lock that serializes migrators on one database (the ASCII bytes of "MeshFlow").
    /// </summary>
    public const long AdvisoryLockKey = 0x4D657368466C6F77;

    private const string MigrateCommand = "meshflow db migrate --connection \"<connection string>\"";

    /// <summary>Every embedded script, in apply order.</summary>
    public static IReadOnlyList<MigrationScript> Scripts => MigrationScripts.All;

    /// <summary>
    /// Applies every script the database lacks, in order. Each script runs in its own transaction together with
    /// the insert of its row in <c>meshflow_schema_version</c>. A session advisory lock (<see cref="AdvisoryLockKey"/>)
    /// makes a concurrent migrator wait until this one finishes, after which it finds nothing left to apply.
    /// </summary>
    /// <exception cref="PostgresConnectionException">The connection string is invalid or the server cannot be
    /// reached.</exception>
    /// <exception cref="SchemaMigrationException">The server is older than <see cref="MinimumServerMajorVersion"/>,
    /// or a script failed. A failed script's changes are rolled back and the scripts before it stay applied.</exception>
    public static async Task<MigrationReport> MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = PostgresConnections.Parse(connectionString);
        await using var connection = await PostgresConnections.OpenAsync(builder, cancellationToken)
            .ConfigureAwait(false);
        EnsureServerVersion(connection, builder);

        await ExecuteLockFunctionAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken)
            .ConfigureAwait(false);
        try
        {
            return await ApplyPendingAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Closing the session releases the lock too, but the pool keeps sessions open, so unlock here.
            // A broken connection has already lost its session and the lock with it.
            if (connection.State == ConnectionState.Open)
            {
                await ExecuteLockFunctionAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads the database's schema version and compares it with <see cref="RequiredVersion"/>, for a silo's start
    /// check. The message of a missing or outdated schema names the migrate command.
    /// </summary>
    /// <exception cref="PostgresConnectionException">The connection string is invalid or the server cannot be
    /// reached.</exception>
    public static async Task<SchemaStatus> GetStatusAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = PostgresConnections.Parse(connectionString);
        await using var connection = await PostgresConnections.OpenAsync(builder, cancellationToken)
            .ConfigureAwait(false);
        var applied = await ReadAppliedVersionsAsync(connection, cancellationToken).ConfigureAwait(false);
        var current = applied.Count == 0 ? (int?)null : applied.Max();
        return Describe(current, PostgresConnections.Describe(builder));
    }

    private static SchemaStatus Describe(int? current, string database)
    {
        if (current is null)
        {
            return new SchemaStatus(
                SchemaState.Missing,
                null,
                RequiredVersion,
                $"The MeshFlow schema is missing in {database} (this build requires version {RequiredVersion}). "
                + $"Create it with: {MigrateCommand}");
        }

        if (current < RequiredVersion)
        {
            return new SchemaStatus(
                SchemaState.Outdated,
                current,
                RequiredVersion,
                $"The MeshFlow schema in {database} is at version {current}, but this build requires version "
                + $"{RequiredVersion}. Upgrade it with: {MigrateCommand}");
        }

        if (current > RequiredVersion)
        {
            return new SchemaStatus(
                SchemaState.Newer,
                current,
                RequiredVersion,
                $"The MeshFlow schema in {database} is at version {current}, newer than version {RequiredVersion} "
                + "that this build requires: a newer build migrated it.");
        }

        return new SchemaStatus(
            SchemaState.Current,
            current,
            RequiredVersion,
            $"The MeshFlow schema in {database} is current (version {current}).");
    }

    private static async Task<MigrationReport> ApplyPendingAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        var present = await ReadAppliedVersionsAsync(connection, cancellationToken).ConfigureAwait(false);
        var applied = new List<MigrationScript>();
        var alreadyPresent = new List<MigrationScript>();
        foreach (var script in Scripts)
        {
            if (present.Contains(script.Version))
            {
                alreadyPresent.Add(script);
                continue;
            }

            await ApplyAsync(connection, script, applied, cancellationToken).ConfigureAwait(false);
            applied.Add(script);
        }

        var current = Math.Max(present.Count == 0 ? 0 : present.Max(), Scripts.Count == 0 ? 0 : Scripts[^1].Version);
        return new MigrationReport(applied, alreadyPresent, current);
    }

    private static async Task ApplyAsync(
        NpgsqlConnection connection,
        MigrationScript script,
        List<MigrationScript> appliedBefore,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The command has no timeout because a later script may rebuild an index on a large table.
            await using (var command = new NpgsqlCommand(script.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO meshflow_schema_version (version, name) VALUES ($1, $2)",
                connection,
                transaction))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = script.Version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Name });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            var before = appliedBefore.Count == 0
                ? "No script was applied in this run."
                : $"Scripts applied in this run before it: {string.Join(", ", appliedBefore.Select(FileName))}.";
            throw new SchemaMigrationException(
                $"Migration script {FileName(script)} failed and was rolled back: {ex.MessageText} "
                + $"(SQLSTATE {ex.SqlState}). {before}",
                ex);
        }
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        // to_regclass returns null instead of failing when the table does not exist yet.
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass('meshflow_schema_version') IS NOT NULL",
            connection);
        var exists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var versions = new HashSet<int>();
        if (!exists)
        {
            return versions;
        }

        command.CommandText = "SELECT version FROM meshflow_schema_version";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static void EnsureServerVersion(NpgsqlConnection connection, NpgsqlConnectionStringBuilder builder)
    {
        if (connection.PostgreSqlVersion.Major < MinimumServerMajorVersion)
        {
            throw new SchemaMigrationException(
                $"PostgreSQL at {PostgresConnections.Describe(builder)} is version {connection.ServerVersion}, "
                + $"but the MeshFlow schema requires version {MinimumServerMajorVersion} or later.");
        }
    }

    private static async Task ExecuteLockFunctionAsync(
        NpgsqlConnection connection,
        string sql,
        CancellationToken cancellationToken)
    {
        // The command has no timeout because waiting for another migrator's lock can outlast the default 30 s.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLockKey });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string FileName(MigrationScript script) => $"{script.Version:D4}_{script.Name}.sql";
}
