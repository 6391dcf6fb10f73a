using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using FromFormAttribute = Microsoft.AspNetCore.Mvc.FromFormAttribute;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Debtors;

/// <summary>
/// The account page's forms for the facts the compliance rules need, so an agent can record on the call what the
/// customer says ("stop calling me at work", "I have a solicitor", "not before 10"): flags, a contact's consent and
/// markers, inconvenient times, where the customer says they are, and the account's validation notice and limitation
/// date. Each form is turned into the same change the API takes (PATCH /debtors/{id}, PATCH /accounts/{id}), so the
/// checks, the audit and the follow-up (a specialist review for a vulnerable customer) are the API's own; then back to
/// the account with what happened, or the page again with why not and what was typed. Times and dates are read in the creditor's zone, as the page shows them.
/// A consent or an opt-out may say when the customer gave or withdrew it (yesterday's call), never a time still to come.
/// </summary>
internal static class FactsFromPage
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/accounts/{id:long}/facts/flags", async (long id, [FromForm] string? kind, [FromForm] string? since, [FromForm] string? until,
                [FromForm] string? note, [FromForm] string? at, [FromForm] string? confirmed, [FromForm] string? registeredOn, HttpContext http, CancellationToken cancellationToken) =>
            {
                var zone = await CreditorZoneAsync(http, id, cancellationToken);
                if (zone is null)
                {
                    return Results.NotFound();
                }

                var parsed = Enum.TryParse<DebtorFlagKind>(kind, ignoreCase: true, out var flagKind);
                var atError = GivenAt(http, at, zone, "they gave it", out var given)
                    ?? (given is not null && parsed && !DebtorRules.IsDated(flagKind) ? NotDated(flagKind) : null);
                if (atError is not null)
                {
                    return PageRefusal.OnAccount(http, id, "flag", [atError]);
                }

                // A flag that silences the account is recorded only once the agent has read what it stops and confirmed.
                if (parsed && FlagWarnings.Stops(flagKind) is { } stops && confirmed != "yes")
                {
                    return PageRefusal.OnAccount(http, id, "flag", [stops], confirm: true);
                }

                // A consent or opt-out given at a stated time starts on that time's day: its since is taken from it.
                var flag = new JsonObject
                {
                    ["kind"] = Camel(kind),
                    ["since"] = given is null ? Blank(since) : null,
                    ["at"] = Iso(given),
                    ["until"] = Blank(until),
                    ["note"] = Blank(note),
                };
                // A breathing space's register date decides its start (the next day); the since box, filled with today, then does not.
                if (Blank(registeredOn) is { } registered)
                {
                    flag["registeredOn"] = registered;
                    flag.Remove("since");
                }

                return await DebtorChangeAsync(http, id, new JsonObject { ["flags"] = new JsonArray(flag) }, "flag", "flag", null, cancellationToken);
            })
            .RequireAuthorization(Policies.Agent);

        app.MapPost("/accounts/{id:long}/facts/flags/{flagId:long}/end", async (long id, long flagId, [FromForm] string? at, HttpContext http,
                CancellationToken cancellationToken) =>
            {
                var zone = await CreditorZoneAsync(http, id, cancellationToken);
                if (zone is null)
                {
                    return Results.NotFound();
                }

                if (GivenAt(http, at, zone, "they withdrew it", out var withdrawn) is { } atError)
                {
                    return PageRefusal.OnAccount(http, id, "flag-end", [atError]);
                }

                // Ended today, or (a consent or opt-out) at the instant the customer withdrew it, whose day is then its until.
                var today = http.RequestServices.GetRequiredService<TimeProvider>().Today(zone);
                var end = withdrawn is null
                    ? new JsonObject { ["id"] = flagId, ["until"] = LocalDatePattern.Iso.Format(today) }
                    : new JsonObject { ["id"] = flagId, ["at"] = Iso(withdrawn) };
                return await DebtorChangeAsync(http, id, new JsonObject { ["flags"] = new JsonArray(end) }, "flag-end", "flag-ended", flagId, cancellationToken);
            })
            .RequireAuthorization(Policies.Agent);

        app.MapPost("/accounts/{id:long}/facts/contacts/{contactId:long}", async (long id, long contactId, [FromForm] string? consent,
                [FromForm] string? consentAt, [FromForm] string? consentExpiresAt, [FromForm] string? timeZone, [FromForm] string? workplace,
                [FromForm] string? employerProhibits, [FromForm] string? inconvenientPlace, HttpContext http, CancellationToken cancellationToken) =>
            {
                var zone = await CreditorZoneAsync(http, id, cancellationToken);
                if (zone is null)
                {
                    return Results.NotFound();
                }

                if (GivenAt(http, consentAt, zone, "they gave or refused it", out var given) is { } atError)
                {
                    return PageRefusal.OnAccount(http, id, $"contact-{contactId}", [atError]);
                }

                var expires = string.IsNullOrWhiteSpace(consentExpiresAt) ? null : Show.ParseInput(consentExpiresAt, zone);
                if (!string.IsNullOrWhiteSpace(consentExpiresAt) && expires is null)
                {
                    return PageRefusal.OnAccount(http, id, $"contact-{contactId}", ["The consent expiry is not a date and time (like 2026-03-31T17:00, between 1900 and 2199)."]);
                }

                var current = await http.RequestServices.GetRequiredService<DunwellDb>().DebtorContacts.AsNoTracking()
                    .Where(c => c.Id == contactId).Select(c => new { c.Consent, c.ConsentExpiresAt }).SingleOrDefaultAsync(cancellationToken);
                var change = new JsonObject
                {
                    ["id"] = contactId,
                    ["timeZone"] = Blank(timeZone),
                    // Unticked boxes are not posted: a box not sent is false.
                    ["workplace"] = workplace is not null,
                    ["employerProhibits"] = employerProhibits is not null,
                    ["inconvenientPlace"] = inconvenientPlace is not null,
                };
                // Consent is sent only when it changes or is dated: saying it again would restart it from now, and its
                // record says when it was given; a stated time records it as given then.
                if (given is not null || current is null || !string.Equals(current.Consent.ToString(), consent?.Trim(), StringComparison.OrdinalIgnoreCase)
                    || current.ConsentExpiresAt != expires)
                {
                    change["consent"] = Camel(consent);
                    change["consentAt"] = Iso(given);
                    change["consentExpiresAt"] = Iso(expires);
                }

                return await DebtorChangeAsync(http, id, new JsonObject { ["contacts"] = new JsonArray(change) }, $"contact-{contactId}", "contact", contactId, cancellationToken);
            })
            .RequireAuthorization(Policies.Agent);

        app.MapPost("/accounts/{id:long}/facts/times", async (long id, [FromForm] string? from, [FromForm] string? until, [FromForm] string? allDay,
                [FromForm] string? clear, [FromForm] string? locationTimeZone, HttpContext http, DunwellDb db, CancellationToken cancellationToken) =>
            {
                var debtorId = await db.Accounts.Where(a => a.Id == id).Select(a => (long?)a.DebtorId).SingleOrDefaultAsync(cancellationToken);
                if (debtorId is null)
                {
                    return Results.NotFound();
                }

                // A time box cannot hold 24:00, so the whole day is a tick: midnight to midnight, as the API says it.
                if (allDay is not null && clear is null)
                {
                    if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(until))
                    {
                        return PageRefusal.OnAccount(http, id, "times", ["Tick All day or give From and Until, not both."]);
                    }

                    (from, until) = ("00:00", TimeText.EndOfDay);
                }

                // The API replaces the list: send what is on file plus the new range (or nothing, to clear it).
                var times = new JsonArray();
                if (clear is null)
                {
                    var current = await db.Debtors.Where(d => d.Id == debtorId).SelectMany(d => d.InconvenientTimes).ToListAsync(cancellationToken);
                    foreach (var line in current.Select(t => InconvenientTimeWire.Of(new InconvenientTimeLine(t.From, t.Until, DayNames.Parse(t.Days)))))
                    {
                        times.Add(JsonSerializer.SerializeToNode(line, Web));
                    }

                    if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(until))
                    {
                        // Ticked day boxes share one name; none ticked means every day.
                        var days = http.Request.Form["days"].Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => (JsonNode?)d).ToArray();
                        times.Add(new JsonObject { ["from"] = Blank(from), ["until"] = Blank(until), ["days"] = days.Length > 0 ? new JsonArray(days) : null });
                    }
                }

                var body = new JsonObject { ["inconvenientTimes"] = times };
                if (locationTimeZone is not null)
                {
                    body["locationTimeZone"] = Blank(locationTimeZone);
                }

                return await DebtorChangeAsync(http, id, body, "times", "times", id, cancellationToken);
            })
            .RequireAuthorization(Policies.Agent);

        app.MapPost("/accounts/{id:long}/facts/account", async (long id, [FromForm] string? validationNoticeSentAt, [FromForm] string? validationPeriodEnd,
                [FromForm] string? limitationDate, HttpContext http, CancellationToken cancellationToken) =>
            {
                var zone = await CreditorZoneAsync(http, id, cancellationToken);
                if (zone is null)
                {
                    return Results.NotFound();
                }

                var sent = string.IsNullOrWhiteSpace(validationNoticeSentAt) ? null : Show.ParseInput(validationNoticeSentAt, zone);
                if (!string.IsNullOrWhiteSpace(validationNoticeSentAt) && sent is null)
                {
                    return PageRefusal.OnAccount(http, id, "account-facts", ["The validation notice's sending time is not a date and time (like 2026-03-02T09:00, between 1900 and 2199)."]);
                }

                var body = new JsonObject
                {
                    ["validationNoticeSentAt"] = sent is { } s ? InstantPattern.ExtendedIso.Format(s) : null,
                    ["validationPeriodEnd"] = Blank(validationPeriodEnd),
                    ["limitationDate"] = Blank(limitationDate),
                };
                var services = http.RequestServices;
                var result = await UpdateAccount.HandleAsync(id, JsonSerializer.SerializeToElement(body), services.GetRequiredService<DunwellDb>(),
                    services.GetRequiredService<TimeProvider>(), services.GetRequiredService<IDateTimeZoneProvider>(), services.GetRequiredService<IOptions<JsonOptions>>(),
                    http.User, cancellationToken);
                return Outcome(http, id, result.Result, "account-facts", "account-facts", id);
            })
            .RequireAuthorization(Policies.Agent);
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The API's own change of the debtor, then the account page: with <paramref name="code"/> and the record it changed
    /// (<paramref name="recordId"/>, or the debtor's newest flag when null) or, refused, again with why beside <paramref name="form"/>.
    /// </summary>
    private static async Task<IResult> DebtorChangeAsync(
        HttpContext http, long accountId, JsonObject body, string form, string code, long? recordId, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var db = services.GetRequiredService<DunwellDb>();
        var debtorId = await db.Accounts.Where(a => a.Id == accountId).Select(a => (long?)a.DebtorId).SingleOrDefaultAsync(cancellationToken);
        if (debtorId is null)
        {
            return Results.NotFound();
        }

        var result = await UpdateDebtor.HandleAsync(debtorId.Value, JsonSerializer.SerializeToElement(body), db, services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IDateTimeZoneProvider>(), services.GetRequiredService<IOptions<JsonOptions>>(), http.User, cancellationToken);
        recordId ??= await db.DebtorFlags.Where(f => f.DebtorId == debtorId).MaxAsync(f => (long?)f.Id, cancellationToken);
        return Outcome(http, accountId, result.Result, form, code, recordId ?? accountId);
    }

    private static IResult Outcome(HttpContext http, long accountId, IResult result, string form, string code, long recordId) => result switch
    {
        ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } => Results.NotFound(),
        ValidationProblem or ProblemHttpResult => PageRefusal.OnAccount(http, accountId, form, PageRefusal.ReasonsOf(result)),
        _ => PageNotice.Redirect($"/accounts/{accountId}", code, recordId, "facts-title"),
    };

    private static async Task<DateTimeZone?> CreditorZoneAsync(HttpContext http, long accountId, CancellationToken cancellationToken)
    {
        var db = http.RequestServices.GetRequiredService<DunwellDb>();
        var zoneId = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Creditor.TimeZone).SingleOrDefaultAsync(cancellationToken);
        return zoneId is null ? null : http.RequestServices.GetRequiredService<IDateTimeZoneProvider>().GetZoneOrNull(zoneId) ?? DateTimeZone.Utc;
    }

    /// <summary>
    /// An optional "when <paramref name="what"/>" input (datetime-local in the creditor's zone): null when it is empty or
    /// fine, otherwise why not, in the page's words. Not in the future: the rules would count a consent not yet given.
    /// </summary>
    private static string? GivenAt(HttpContext http, string? text, DateTimeZone zone, string what, out Instant? at)
    {
        at = Show.ParseInput(text, zone);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (at is null)
        {
            return $"The time {what} is not a date and time (like 2026-03-01T14:05, between 1900 and 2199).";
        }

        var now = http.RequestServices.GetRequiredService<TimeProvider>().Now();
        return at > now
            ? $"The time {what}, {Show.When(at.Value, zone)}, is in the future; give when the customer said it, or leave the time empty for now."
            : null;
    }

    private static string NotDated(DebtorFlagKind kind) =>
        $"A time given dates a consent or an opt-out; {Show.Flag(kind)} runs from the start of its since day, so leave the time empty.";

    private static string? Iso(Instant? instant) => instant is { } i ? InstantPattern.ExtendedIso.Format(i) : null;

    /// <summary>A form's enum value as the API spells it (camelCase); an empty one is left out so the API names it as missing.</summary>
    private static string? Camel(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : char.ToLower(value.Trim()[0], CultureInfo.InvariantCulture) + value.Trim()[1..];

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
