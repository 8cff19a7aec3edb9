using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace MeshFlow.Grains.Postgres;

/// <summary>
/// Parses PostgreSQL connection strings and opens connections, turning Npgsql's failures into
/// <see cref="PostgresConnectionException"/> messages that name the failing part and never contain the password.
/// </summary>
public static class PostgresConnections
{
    /// <summary>The connect timeout applied when the connection string sets none, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 5;

    private const string KeywordsDocumentation = "https://www.npgsql.org/doc/connection-string-parameters.html";

    /// <summary>
    /// Parses <paramref name="connectionString"/> and checks every keyword and value. The connect timeout is
    /// <see cref="DefaultTimeoutSeconds"/> unless the string sets <c>Timeout</c>.
    /// </summary>
    /// <exception cref="PostgresConnectionException">The string is malformed, has an unknown keyword or an
    /// invalid value, or names no host.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new PostgresConnectionException(
                "Missing PostgreSQL connection string: pass one such as "
                + "\"Host=127.0.0.1;Port=5432;Database=meshflow;Username=meshflow;Password=...\".");
        }

        var pairs = new DbConnectionStringBuilder();
        try
        {
            pairs.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The parser's message can quote the text around the error, which may be the password.
            throw new PostgresConnectionException(
                "Invalid PostgreSQL connection string: expected Keyword=Value pairs separated by ';'. "
                + "Enclose a value that contains ';', '=' or quotes in double quotes.");
        }

        var builder = new NpgsqlConnectionStringBuilder { Timeout = DefaultTimeoutSeconds };
        string? previousKey = null;
        foreach (string key in pairs.Keys)
        {
            // The parser lower-cases keywords, so messages look up the spelling the caller wrote.
            var written = WrittenSpelling(connectionString, key);
            CopyPair(builder, written, pairs[key], previousKey);
            previousKey = written;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new PostgresConnectionException(
                "Invalid PostgreSQL connection string: Host is missing. Add Host=<server name or address>.");
        }

        return builder;
    }

    /// <summary>Opens a connection, or throws a <see cref="PostgresConnectionException"/> that names the cause.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(
        NpgsqlConnectionStringBuilder builder,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var connection = new NpgsqlConnection(builder.ConnectionString);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (PostgresException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Rejected(builder, ex);
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Unreachable(builder, ex, stopwatch.Elapsed);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Describes the server and database as <c>host:port/database</c>, without credentials.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"{Endpoint(builder)}/{builder.Database ?? builder.Username ?? "(default database)"}";
    }

    private static string Endpoint(NpgsqlConnectionStringBuilder builder) =>
        string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}");

    private static void CopyPair(NpgsqlConnectionStringBuilder builder, string key, object value, string? previousKey)
    {
        try
        {
            builder[key] = value;
        }
        catch (ArgumentException) when (!builder.ContainsKey(key))
        {
            // An unquoted ';' inside a password splits it, and the rest looks like an unknown keyword.
            // Naming that keyword would print part of the password.
            if (previousKey is not null && IsSecret(previousKey))
            {
                throw new PostgresConnectionException(
                    "Invalid PostgreSQL connection string: the text after the password is not a Keyword=Value "
                    + "pair. If the password contains ';', enclose it in double quotes.");
            }

            throw new PostgresConnectionException(
                $"Invalid PostgreSQL connection string: unknown keyword '{key}'. Check its spelling; common "
                + $"keywords are Host, Port, Database, Username, Password and Timeout (all: {KeywordsDocumentation}).");
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException
            or OverflowException)
        {
            throw new PostgresConnectionException(
                $"Invalid PostgreSQL connection string: the value of '{key}' is not valid for that keyword. "
                + $"Fix or remove it (allowed values: {KeywordsDocumentation}).");
        }
    }

    private static string WrittenSpelling(string connectionString, string key)
    {
        var index = connectionString.IndexOf(key, StringComparison.OrdinalIgnoreCase);
        return index < 0 ? key : connectionString.Substring(index, key.Length);
    }

    private static bool IsSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Equals("pwd", StringComparison.OrdinalIgnoreCase);

    private static PostgresConnectionException Rejected(NpgsqlConnectionStringBuilder builder, PostgresException ex)
    {
        var endpoint = Endpoint(builder);
        return ex.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                new PostgresConnectionException(
                    $"PostgreSQL at {endpoint} rejected the login of user '{builder.Username}': {ex.MessageText}. "
                    + "Check Username and Password in the connection string.",
                    ex),
            PostgresErrorCodes.InvalidCatalogName =>
                new PostgresConnectionException(
                    $"Database '{builder.Database}' does not exist on PostgreSQL at {endpoint}. Create it "
                    + "(CREATE DATABASE) or fix Database in the connection string.",
                    ex),
            _ => new PostgresConnectionException(
                $"PostgreSQL at {endpoint} refused the connection: {ex.MessageText} (SQLSTATE {ex.SqlState}).",
                ex),
        };
    }

    private static PostgresConnectionException Unreachable(
        NpgsqlConnectionStringBuilder builder,
        NpgsqlException ex,
        TimeSpan elapsed)
    {
        var reason = FindReason(ex);
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return new PostgresConnectionException(
            $"Cannot connect to PostgreSQL at {Endpoint(builder)}: {reason} (gave up after {seconds} s; "
            + $"connect timeout {builder.Timeout} s). Check that the server is running and accepts TCP "
            + "connections on that host and port, and that Host and Port in the connection string are right.",
            ex);
    }

    private static string FindReason(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.NoData => "host name not found",
                        SocketError.TimedOut => "connection timed out",
                        _ => socket.Message,
                    };
                case TimeoutException:
                    return "timed out";
            }
        }

        return ex.Message;
    }
}
