using System.CommandLine;
using Dunwell.Data;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Creditors;

/// <summary><c>dunwell creditors add|list|set</c>: the same checks and audit as the API and the admin page.</summary>
internal static class CreditorVerbs
{
    public static Command Command()
    {
        var reference = new Option<string>("--reference") { Required = true, Description = "The creditor's reference, as its placement files name it." };
        var addDetails = new DetailOptions();
        var add = new Command("add", "Add a creditor.") { reference };
        addDetails.AddTo(add);
        add.SetAction((result, ct) => Cli.RunVerbAsync((services, token) =>
            SaveAsync(services, db => ManageCreditors.AddAsync(db, result.GetValue(reference), addDetails.Read(result), "system:cli", Now(services),
                services.GetRequiredService<IDateTimeZoneProvider>(), token), "Added"), ct));

        var list = new Command("list", "List the creditors: reference, rule pack, calendar zone and name.");
        list.SetAction((_, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<DunwellDb>();
            foreach (var c in await db.Creditors.AsNoTracking().OrderBy(c => c.Reference).ToListAsync(token))
            {
                await Console.Out.WriteLineAsync($"{c.Reference}\t{c.JurisdictionPack}\t{c.TimeZone}\t{c.Name}");
            }

            return 0;
        }, ct));

        var target = new Argument<string>("reference") { Description = "The creditor to change." };
        var setDetails = new DetailOptions();
        var set = new Command("set", "Change a creditor's details; options left out stay as they are, an empty value clears an optional one.") { target };
        setDetails.AddTo(set);
        set.SetAction((result, ct) => Cli.RunVerbAsync((services, token) =>
            SaveAsync(services, db => ManageCreditors.ChangeAsync(db, result.GetValue(target)!, setDetails.Read(result), "system:cli", Now(services),
                services.GetRequiredService<IDateTimeZoneProvider>(), token), "Changed"), ct));

        return new Command("creditors", "Manage creditors: whose money it is, their rule pack, calendar, contact details and branding.") { add, list, set };
    }

    private static Instant Now(IServiceProvider services) => services.GetRequiredService<TimeProvider>().Now();

    private static async Task<int> SaveAsync(IServiceProvider services, Func<DunwellDb, Task<CreditorOutcome>> save, string done)
    {
        var outcome = await save(services.GetRequiredService<DunwellDb>());
        return outcome switch
        {
            CreditorOutcome.Saved saved => await Say($"{done} creditor {saved.Creditor.Reference} ({saved.Creditor.JurisdictionPack}, {saved.Creditor.TimeZone}).", 0),
            CreditorOutcome.Invalid invalid => throw new VerbException(string.Join(" ", invalid.Errors.Select(e => $"--{Option(e.Key)}: {e.Value[0]}")), 2),
            CreditorOutcome.Taken taken => throw new VerbException($"a creditor with reference '{taken.Reference}' already exists.", 2),
            CreditorOutcome.NotFound missing => throw new VerbException($"no creditor with reference '{missing.Reference}'.", 2),
            _ => throw new VerbException("not allowed.", 2),
        };
    }

    private static async Task<int> Say(string line, int code)
    {
        await Console.Out.WriteLineAsync(line);
        return code;
    }

    /// <summary>The option name for a wire field: contactEmail → contact-email.</summary>
    private static string Option(string field) => string.Concat(field.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>One option per detail, made fresh for each command (an option belongs to one command).</summary>
    private sealed class DetailOptions
    {
        private readonly Option<string?> _name = new("--name") { Description = "Legal name." };
        private readonly Option<string?> _pack = new("--jurisdiction-pack") { Description = "Rule pack: US-FDCPA, UK-FCA or B2B." };
        private readonly Option<string?> _zone = new("--time-zone") { Description = "Calendar zone (IANA), for days past due and the daily cycle." };
        private readonly Option<string?> _displayName = new("--display-name") { Description = "Trading name customers know." };
        private readonly Option<string?> _contactEmail = new("--contact-email");
        private readonly Option<string?> _contactPhone = new("--contact-phone") { Description = "International form, e.g. +44 20 7946 0000." };
        private readonly Option<string?> _postalAddress = new("--postal-address") { Description = "Lines separated by \\n." };
        private readonly Option<string?> _website = new("--website") { Description = "https:// address." };
        private readonly Option<string?> _senderName = new("--sender-name") { Description = "From name of its emails." };
        private readonly Option<string?> _senderEmail = new("--sender-email") { Description = "From address of its emails." };
        private readonly Option<string?> _smsSender = new("--sms-sender") { Description = "Sender id or number of its text messages." };
        private readonly Option<string?> _accentColour = new("--accent-colour") { Description = "#rrggbb for its pages and letters." };

        public void AddTo(Command command)
        {
            foreach (var option in new[] { _name, _pack, _zone, _displayName, _contactEmail, _contactPhone, _postalAddress, _website, _senderName, _senderEmail, _smsSender, _accentColour })
            {
                command.Options.Add(option);
            }
        }

        public CreditorDetails Read(ParseResult result) => new(
            result.GetValue(_name), result.GetValue(_pack), result.GetValue(_zone), result.GetValue(_displayName), result.GetValue(_contactEmail),
            result.GetValue(_contactPhone), result.GetValue(_postalAddress)?.Replace("\\n", "\n", StringComparison.Ordinal), result.GetValue(_website),
            result.GetValue(_senderName), result.GetValue(_senderEmail), result.GetValue(_smsSender), result.GetValue(_accentColour));
    }
}
