namespace Dunwell.Features.Imports;

/// <summary>Text going into a CSV file that a person may open in a spreadsheet.</summary>
public static class CsvText
{
    /// <summary>
    /// Prefixes a single quote to a value a spreadsheet would run as a formula (=, +, -, @, tab, carriage return), so
    /// an exported "=HYPERLINK(...)" shows as text instead of executing (CSV injection). Other values are returned as they are.
    /// </summary>
    public static string Neutralise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }
}
