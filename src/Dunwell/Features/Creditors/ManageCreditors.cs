using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Creditors;

public abstract record CreditorOutcome
{
    public sealed record Saved(Creditor Creditor) : CreditorOutcome;

    /// <summary>Checks failed, keyed by wire field name.</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : CreditorOutcome;

    public sealed record Taken(string Reference) : CreditorOutcome;

    public sealed record NotFound(string Reference) : CreditorOutcome;

    /// <summary>Only a caller acting for every creditor may add one: a new creditor would be outside anyone else's scope.</summary>
    public sealed record NotAllowed : CreditorOutcome;
}

/// <summary>Adding and changing creditors: the one path the API, the admin page and <c>dunwell creditors</c> take, audited.</summary>
public static class ManageCreditors
{
    public static async Task<CreditorOutcome> AddAsync(
        DunwellDb db, string? reference, CreditorDetails details, string actor, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        if (!db.Scope.IsUnrestricted)
        {
            return new CreditorOutcome.NotAllowed();
        }

        var errors = CreditorRules.Validate(details, creating: true, zones);
        if (CreditorRules.ReferenceError(reference) is { } referenceError)
        {
            errors["reference"] = [referenceError];
        }

        if (errors.Count > 0)
        {
            return new CreditorOutcome.Invalid(errors);
        }

        var trimmed = reference!.Trim();
        if (await db.Creditors.IgnoreQueryFilters().AnyAsync(c => c.Reference == trimmed, cancellationToken))
        {
            return new CreditorOutcome.Taken(trimmed);
        }

        var creditor = new Creditor { Reference = trimmed, Name = "", JurisdictionPack = "", TimeZone = "", CreatedAt = now, UpdatedAt = now };
        CreditorRules.Apply(creditor, details);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Creditors.Add(creditor);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return new CreditorOutcome.Taken(trimmed);
        }

        AuditLog.Add(db, actor, AuditLog.Actions.CreditorCreate, $"creditor:{creditor.Id}", now, $"reference={creditor.Reference}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreditorOutcome.Saved(creditor);
    }

    public static async Task<CreditorOutcome> ChangeAsync(
        DunwellDb db, string reference, CreditorDetails details, string actor, Instant now, IDateTimeZoneProvider zones, CancellationToken cancellationToken)
    {
        var creditor = await db.Creditors.SingleOrDefaultAsync(c => c.Reference == reference, cancellationToken);
        if (creditor is null)
        {
            return new CreditorOutcome.NotFound(reference);
        }

        var errors = CreditorRules.Validate(details, creating: false, zones);
        if (errors.Count > 0)
        {
            return new CreditorOutcome.Invalid(errors);
        }

        CreditorRules.Apply(creditor, details);
        var changed = db.Entry(creditor).Properties.Where(p => p.IsModified).Select(p => p.Metadata.Name).ToList();
        if (changed.Count > 0)
        {
            creditor.UpdatedAt = now;
            AuditLog.Add(db, actor, AuditLog.Actions.CreditorUpdate, $"creditor:{creditor.Id}", now, "changed " + string.Join(", ", changed));
            await db.SaveChangesAsync(cancellationToken);
        }

        return new CreditorOutcome.Saved(creditor);
    }
}
