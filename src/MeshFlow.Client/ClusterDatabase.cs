using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Npgsql;

namespace MeshFlow.Client;

/// <summary>
/// The server and database of a PostgreSQL connection string, for messages that must never show the password.
/// </summary>
/// <param name="Host">The <c>Host</c> value, which may list several hosts separated by commas.</param>
/// <param name="Port">The TCP port; 5432 when the string sets none.</param>
/// <param name="Database">
/// The database name; when the string sets none, the user name, which Npgsql uses in its place.
/// </param>
internal sealed record ClusterDatabase(string Host, int Port, string Database)
{
    private const string Example = "Host=127.0.0.1;Port=5432;Database=meshflow;Username=meshflow;Password=...";

    /// <summary>
    /// Parses <paramref name="connectionString"/> with Npgsql's rules, returning false and a message when it is
    /// malformed, has an unknown keyword or invalid value, or names no host. The message never quotes the string,
    /// because an unquoted ';' in a password makes part of the password look like a keyword.
    /// </summary>
    public static bool TryParse(
        string? connectionString,
        [NotNullWhen(true)] out ClusterDatabase? database,
        [NotNullWhen(false)] out string? error)
    {
        database = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = $"it is empty. Give one such as \"{Example}\".";
            return false;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException
            or InvalidCastException or OverflowException)
        {
            error = "it is not a valid Npgsql connection string. Check that it is Keyword=Value pairs separated by "
                + "';' with known keywords and valid values, and enclose a password that contains ';' in double "
                + "quotes.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            error = "it has no Host. Add Host=<server name or address>.";
            return false;
        }

        var name = builder.Database ?? builder.Username ?? "(default database)";
        database = new ClusterDatabase(builder.Host, builder.Port, name);
        error = null;
        return true;
    }

    /// <summary>Parses a connection string that the options validator has already accepted.</summary>
    public static ClusterDatabase Parse(string connectionString) =>
        TryParse(connectionString, out var database, out var error)
            ? database
            : throw new FormatException($"Invalid PostgreSQL connection string: {error}");

    /// <summary>Formats the database as <c>host:port/database</c>, without credentials.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}/{Database}");
}
