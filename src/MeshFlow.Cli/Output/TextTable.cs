namespace MeshFlow.Cli.Output;

/// <summary>
/// Writes rows of text cells as aligned columns for the text output.
/// </summary>
internal static class TextTable
{
    /// <summary>
    /// Writes each row on one line, with every column but the last padded to its widest cell and two spaces between
    /// columns. A header, when the caller wants one, is the first row.
    /// </summary>
    public static void Write(TextWriter writer, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var widths = new int[rows.Max(row => row.Length)];
        foreach (var row in rows)
        {
            for (var column = 0; column < row.Length; column++)
            {
                widths[column] = Math.Max(widths[column], row[column].Length);
            }
        }

        foreach (var row in rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths)
    {
        var padded = cells.Select((cell, column) => column == cells.Length - 1 ? cell : cell.PadRight(widths[column]));
        writer.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
