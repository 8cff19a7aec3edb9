using System.Globalization;
using System.Text;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// A plain-text list of the figures a cluster run measured, one <c>label: value</c> line each, saved as
/// <c>artifacts/cluster-report.txt</c> under the repository root so that CI can print it.
/// </summary>
public sealed class ClusterReport
{
    /// <summary>The report's path relative to the repository root.</summary>
    public const string RelativePath = "artifacts/cluster-report.txt";

    private const string SolutionFileName = "MeshFlow.Grains.sln";

    private readonly StringBuilder _text = new();

    public ClusterReport(string title)
    {
        _text.AppendLine(title);
    }

    /// <summary>The report so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Adds one line.</summary>
    public void Add(string label, string value) => _text.Append(label).Append(": ").AppendLine(value);

    /// <summary>Adds one line with a count.</summary>
    public void Add(string label, long value) => Add(label, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds one line with a duration in seconds, or <paramref name="missing"/> when there is none.</summary>
    public void Add(string label, TimeSpan? value, string missing) =>
        Add(label, value is { } duration ? Seconds(duration) : missing);

    /// <summary>Formats a duration as seconds with one decimal, such as "12.3 s".</summary>
    public static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// Writes the report to <see cref="RelativePath"/> under the repository root, the first folder above the test
    /// binaries that contains the solution file, and returns the full path.
    /// </summary>
    public string Save()
    {
        var path = Path.Combine(FindRepositoryRoot(), RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Text);
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFileName)))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} contains {SolutionFileName}, so the report has no place to go: "
            + "run the test from a build inside the repository.");
    }
}
