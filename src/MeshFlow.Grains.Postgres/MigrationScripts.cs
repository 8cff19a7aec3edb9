using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace MeshFlow.Grains.Postgres;

/// <summary>Loads the sql/*.sql scripts embedded in this assembly and checks that they are numbered 1..N.</summary>
internal static partial class MigrationScripts
{
    private const string ResourcePrefix = "MeshFlow.Sql.";

    private static readonly Lazy<IReadOnlyList<MigrationScript>> Loaded = new(Load);

    public static IReadOnlyList<MigrationScript> All => Loaded.Value;

    private static List<MigrationScript> Load()
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded script '{fileName}' is not named NNNN_name.sql, so its apply order is unknown.");
            }

            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            scripts.Add(new MigrationScript(version, match.Groups["name"].Value, ReadText(assembly, resource)));
        }

        scripts.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Embedded scripts must be numbered 1, 2, 3 and so on without gaps or repeats, "
                    + $"but script {i + 1} is '{scripts[i].Version:D4}_{scripts[i].Name}.sql'.");
            }
        }

        return scripts;
    }

    private static string ReadText(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script '{resource}' cannot be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
