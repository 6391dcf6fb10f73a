namespace Dunwell.Features.Imports;

/// <summary>One problem with one row: the physical line where the record starts (header = line 1), the column and why.</summary>
public sealed record RowError(int Line, string Column, string Reason);

/// <summary>
/// What an import did. Counts are per data row: <c>Created</c> new accounts (or payments posted), <c>Updated</c> accounts
/// whose fields, debtor or amounts changed, <c>Unchanged</c> rows already applied, <c>Rejected</c> rows with errors.
/// <c>Applied</c> is false when the file was rejected and nothing was written.
/// </summary>
public sealed record ImportReport(
    long RunId,
    string Kind,
    bool Applied,
    int Rows,
    int Created,
    int Updated,
    int Unchanged,
    int Rejected,
    int CreditorsCreated,
    int DebtorsCreated,
    int DebtorsUpdated,
    IReadOnlyList<RowError> Errors,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Where a card number was masked before the value was stored (line, column, why); the rows were imported.</summary>
    public IReadOnlyList<RowError> CardNumbersMasked { get; init; } = [];
}

/// <summary>Counts as an import goes, for the report and the progress display.</summary>
internal sealed class ImportTally
{
    private readonly List<RowError> _errors = [];
    private readonly HashSet<int> _rejectedLines = [];
    private readonly List<RowError> _masked = [];

    public int Rows { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int CreditorsCreated { get; set; }

    public int DebtorsCreated { get; set; }

    public int DebtorsUpdated { get; set; }

    public List<string> Warnings { get; } = [];

    public IReadOnlyList<RowError> Errors => _errors;

    public int Rejected => _rejectedLines.Count;

    public void NoteMasked(IEnumerable<RowError> masked) => _masked.AddRange(masked);

    public void Reject(RowError error)
    {
        _errors.Add(error);
        _rejectedLines.Add(error.Line);
    }

    public void Reject(IEnumerable<RowError> errors)
    {
        foreach (var error in errors)
        {
            Reject(error);
        }
    }

    public ImportReport ToReport(long runId, string kind, bool applied) => new(
        runId, kind, applied, Rows, Created, Updated, Unchanged, Rejected, CreditorsCreated, DebtorsCreated, DebtorsUpdated,
        [.. _errors.OrderBy(e => e.Line)], Warnings)
    {
        CardNumbersMasked = [.. _masked.OrderBy(m => m.Line)],
    };
}

/// <summary>Progress of a running import: data rows read so far and how far through the file it is.</summary>
public readonly record struct ImportProgress(int Rows, long BytesRead, long? TotalBytes);
