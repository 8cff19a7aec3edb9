namespace MeshFlow.Grains.Postgres;

/// <summary>
/// Thrown when a PostgreSQL connection string is invalid or the server cannot be reached or rejects the login.
/// The message names the failing part and the fix, and never contains the password.
/// </summary>
public sealed class PostgresConnectionException : Exception
{
    public PostgresConnectionException()
    {
    }

    public PostgresConnectionException(string message)
        : base(message)
    {
    }

    public PostgresConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
