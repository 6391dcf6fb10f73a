using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Creditors;

/// <summary>
/// /api/v1/creditors: whose money it is. Anyone reads the creditors they act for (others are not found); admins change
/// them; only an admin acting for every creditor adds one. Placement rows name creditors by reference.
/// </summary>
public static class CreditorsApi
{
    /// <summary>The creditor to add: its reference (as placement files name it) and its details.</summary>
    public sealed record AddRequest(
        string? Reference,
        string? Name,
        string? JurisdictionPack,
        string? TimeZone,
        string? DisplayName = null,
        string? ContactEmail = null,
        string? ContactPhone = null,
        string? PostalAddress = null,
        string? Website = null,
        string? SenderName = null,
        string? SenderEmail = null,
        string? SmsSender = null,
        string? AccentColour = null)
    {
        public CreditorDetails Details => new(
            Name, JurisdictionPack, TimeZone, DisplayName, ContactEmail, ContactPhone, PostalAddress, Website, SenderName, SenderEmail, SmsSender, AccentColour);
    }

    /// <summary>What to change: a field left out stays as it is; an empty string clears an optional field. The reference never changes.</summary>
    public sealed record ChangeRequest(
        string? Name = null,
        string? JurisdictionPack = null,
        string? TimeZone = null,
        string? DisplayName = null,
        string? ContactEmail = null,
        string? ContactPhone = null,
        string? PostalAddress = null,
        string? Website = null,
        string? SenderName = null,
        string? SenderEmail = null,
        string? SmsSender = null,
        string? AccentColour = null)
    {
        public CreditorDetails Details => new(
            Name, JurisdictionPack, TimeZone, DisplayName, ContactEmail, ContactPhone, PostalAddress, Website, SenderName, SenderEmail, SmsSender, AccentColour);
    }

    public sealed record Response(
        long Id,
        string Reference,
        string Name,
        string JurisdictionPack,
        string TimeZone,
        string? DisplayName,
        string? ContactEmail,
        string? ContactPhone,
        string? PostalAddress,
        string? Website,
        string? SenderName,
        string? SenderEmail,
        string? SmsSender,
        string? AccentColour,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt)
    {
        public static Response From(Creditor c) => new(
            c.Id, c.Reference, c.Name, c.JurisdictionPack, c.TimeZone, c.DisplayName, c.ContactEmail, c.ContactPhone, c.PostalAddress, c.Website,
            c.SenderName, c.SenderEmail, c.SmsSender, c.AccentColour, c.CreatedAt.ToDateTimeOffset(), c.UpdatedAt.ToDateTimeOffset());
    }

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/creditors", ListAsync)
            .WithName("ListCreditors").WithSummary("The creditors the caller acts for, by reference")
            .WithTags("Creditors").RequireAuthorization(Policies.Read);
        api.MapGet("/creditors/{reference}", GetAsync)
            .WithName("GetCreditor").WithSummary("One creditor with its contact details and branding")
            .WithTags("Creditors").RequireAuthorization(Policies.Read);
        api.MapPost("/creditors", AddAsync)
            .WithName("AddCreditor").WithSummary("Add a creditor (admins acting for every creditor)")
            .WithTags("Creditors").RequireAuthorization(Policies.Admin);
        api.MapPatch("/creditors/{reference}", ChangeAsync)
            .WithName("ChangeCreditor").WithSummary("Change a creditor's name, rule pack, calendar zone, contact details or branding")
            .WithTags("Creditors").RequireAuthorization(Policies.Admin);
    }

    internal static async Task<Ok<IReadOnlyList<Response>>> ListAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        var creditors = await db.Creditors.AsNoTracking().OrderBy(c => c.Reference).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<Response>>([.. creditors.Select(Response.From)]);
    }

    internal static async Task<Results<Ok<Response>, ProblemHttpResult>> GetAsync(string reference, DunwellDb db, CancellationToken cancellationToken) =>
        await db.Creditors.AsNoTracking().SingleOrDefaultAsync(c => c.Reference == reference, cancellationToken) is { } creditor
            ? TypedResults.Ok(Response.From(creditor))
            : NotFound(reference);

    internal static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> AddAsync(
        [FromBody] AddRequest request, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await ManageCreditors.AddAsync(db, request.Reference, request.Details, Actor.Of(user), clock.Now(), zones, cancellationToken) switch
        {
            CreditorOutcome.Saved saved => TypedResults.Created($"/api/v1/creditors/{Uri.EscapeDataString(saved.Creditor.Reference)}", Response.From(saved.Creditor)),
            CreditorOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            CreditorOutcome.Taken taken => ApiProblems.Conflict($"A creditor with reference '{taken.Reference}' already exists.", "reference"),
            CreditorOutcome.NotAllowed => ApiProblems.Forbidden("Only an administrator acting for every creditor may add one."),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
        };

    internal static async Task<Results<Ok<Response>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        string reference, [FromBody] ChangeRequest request, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await ManageCreditors.ChangeAsync(db, reference, request.Details, Actor.Of(user), clock.Now(), zones, cancellationToken) switch
        {
            CreditorOutcome.Saved saved => TypedResults.Ok(Response.From(saved.Creditor)),
            CreditorOutcome.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            CreditorOutcome.NotFound => NotFound(reference),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}."),
        };

    private static ProblemHttpResult NotFound(string reference) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No creditor with reference '{reference}'.");
}
