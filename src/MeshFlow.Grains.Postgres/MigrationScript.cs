namespace MeshFlow.Grains.Postgres;

/// <summary>One numbered script from sql/, embedded in this assembly.</summary>
/// <param name="Version">The schema version the script brings a database to, from the file name's number.</param>
/// <param name="Name">The file name without its number and extension, such as <c>clustering</c>.</param>
/// <param name="Sql">The script text.</param>
public sealed record MigrationScript(int Version, string Name, string Sql);
