using System.Globalization;
using Dunwell.Domain.Accounts;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Domain.Compliance;

/// <summary>A refusal found at one instant, with the earliest instant this rule could stop refusing, or why it never will.</summary>
internal sealed record Block(Reason Reason, Instant? Until, string? WhyNever);

/// <summary>What the rules found at one instant: refusals, and (at the asked instant only) obligations.</summary>
internal sealed class Findings(bool withObligations)
{
    public List<Block> Blocks { get; } = [];

    public List<Obligation> Obligations { get; } = [];

    public bool WithObligations { get; } = withObligations;

    /// <summary>Refuses until <paramref name="until"/>: this rule refuses at every instant before it.</summary>
    public void Block(string rule, string citation, string message, Instant until) =>
        Blocks.Add(new Block(new Reason(rule, citation, message), until, null));

    /// <summary>Refuses with no known end; <paramref name="why"/> says what would end it.</summary>
    public void BlockForGood(string rule, string citation, string message, string why) =>
        Blocks.Add(new Block(new Reason(rule, citation, message), null, why));

    public void Block(string rule, string citation, string message, Instant? until, string why)
    {
        if (until is { } end)
        {
            Block(rule, citation, message, end);
        }
        else
        {
            BlockForGood(rule, citation, message, why);
        }
    }

    public void Oblige(string rule, string citation, ObligationKind kind, string message)
    {
        if (WithObligations && !Obligations.Exists(o => o.RuleId == rule && o.Message == message))
        {
            Obligations.Add(new Obligation(rule, citation, kind, message));
        }
    }
}

/// <summary>
/// One request prepared for evaluation at any instant: the destination found, the zones resolved, the history sorted.
/// Rules read from it and never change it.
/// </summary>
internal sealed class Evaluation
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm':'ss");
    private static readonly LocalTimePattern ClockPattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public Evaluation(ContactRequest request, RulePack pack, FirmPolicy? firm)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pack);
        if (request.Accounts.Count == 0)
        {
            throw new ArgumentException("A contact is about at least one account.", nameof(request));
        }

        Request = request;
        Pack = pack;
        Firm = firm;
        Destination = FindDestination(request);
        var fallback = pack.UnknownLocationZones.Count > 0 || request.CreditorTimeZone is null
            ? pack.UnknownLocationZones
            : [request.CreditorTimeZone];
        (Zones, Unrecognised, LocationNotes) = DebtorLocation.Resolve(request.Debtor, fallback);
        History = [.. request.History.OrderBy(h => h.At)];
    }

    public ContactRequest Request { get; }

    public RulePack Pack { get; }

    public FirmPolicy? Firm { get; }

    /// <summary>The phone, email or address contacted; null for a letter to the postal address.</summary>
    public ContactPoint? Destination { get; }

    public IReadOnlyList<DateTimeZone> Zones { get; }

    public IReadOnlyList<string> Unrecognised { get; }

    /// <summary>What the location on file did not say (a country alone), for the decision's words.</summary>
    public IReadOnlyList<string> LocationNotes { get; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<ContactEvent> History { get; }

    public ContactChannel Channel => Request.Channel;

    public ContactPurpose Purpose => Request.Purpose;

    public IEnumerable<ContactEvent> Before(Instant at) => History.TakeWhile(h => h.At < at);

    /// <summary>Whether a flag, consent or moratorium scoped to <paramref name="accounts"/> touches any account of this contact.</summary>
    public bool Touches(IReadOnlyList<string>? accounts) =>
        accounts is null || Request.Accounts.Any(a => accounts.Contains(a.Id, StringComparer.Ordinal));

    public IEnumerable<AccountFacts> AccountsIn(IReadOnlyList<string>? accounts) =>
        Request.Accounts.Where(a => accounts is null || accounts.Contains(a.Id, StringComparer.Ordinal));

    /// <summary>The latest local date of an instant in any zone the debtor may be in: the cautious choice for "has this date passed".</summary>
    public LocalDate LatestDate(Instant at) => Zones.Max(z => at.InZone(z).Date);

    /// <summary>The earliest local date of an instant in any zone: the cautious choice for "was this on or before a deadline".</summary>
    public LocalDate EarliestDate(Instant at) => Zones.Min(z => at.InZone(z).Date);

    /// <summary>The first instant at which <paramref name="date"/> has begun in every zone.</summary>
    public Instant StartOfDayEverywhere(LocalDate date) => Zones.Max(z => LocalTimeSearch.StartOfDay(date, z));

    /// <summary>
    /// The debtor answered through this medium and this is the one reply to it: nothing has gone out through the
    /// medium since. History can only take this away, never grant it.
    /// </summary>
    public bool IsOneReplyTo(Instant at) =>
        Request.InResponseTo is { } asked
        && asked <= at
        && !History.Any(h => h.Direction == InteractionDirection.Outbound && h.Channel == Channel && h.At > asked && h.At < at);

    public bool IsCollectionActivity => IsCollection(Purpose);

    /// <summary>Purposes that ask for money or press for it, which every hold stops.</summary>
    public static bool IsCollection(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Collection => true,
        ContactPurpose.ConversationRecap => true,
        ContactPurpose.ValidationNotice => true,
        ContactPurpose.LegalActionNotice => true,
        ContactPurpose.CeaseRemedyNotice => true,
        ContactPurpose.CeaseIntendedRemedyNotice => true,
        ContactPurpose.DisputeVerification => false,
        ContactPurpose.ResponseToConsumerRequest => false,
        ContactPurpose.OptOutConfirmation => false,
        ContactPurpose.RequiredByLaw => false,
        ContactPurpose.CeaseTerminationNotice => false,
    };

    public bool MentionsLegalAction => Request.MentionsLegalAction || Purpose == ContactPurpose.LegalActionNotice;

    public static string Day(LocalDate date) => DatePattern.Format(date);

    public string Date(Instant at) => DatePattern.Format(EarliestDate(at));

    public static string Time(LocalTime time) => TimePattern.Format(time);

    /// <summary>"08:00", for the bounds of a window.</summary>
    public static string Clock(LocalTime time) => ClockPattern.Format(time);

    /// <summary>"07:59:59 in America/New_York and 04:59:59 in America/Los_Angeles".</summary>
    public static string LocalTimes(Instant at, IEnumerable<DateTimeZone> zones) =>
        string.Join(" and ", zones.Select(z => string.Create(CultureInfo.InvariantCulture, $"{Time(at.InZone(z).TimeOfDay)} in {z.Id}")));

    /// <summary>"America/New_York or America/Los_Angeles".</summary>
    public string ZoneList => Zones.Count == 1
        ? Zones[0].Id
        : $"{string.Join(", ", Zones.Take(Zones.Count - 1).Select(z => z.Id))} or {Zones[^1].Id}";

    public static string ChannelNoun(ContactChannel channel) => channel switch
    {
        ContactChannel.Call => "phone calls",
        ContactChannel.Sms => "text messages",
        ContactChannel.Email => "email",
        ContactChannel.Letter => "letters",
    };

    public static string ContactNoun(ContactPoint contact) => contact.Kind switch
    {
        ContactKind.Phone => "phone number",
        ContactKind.Email => "email address",
        ContactKind.Address => "address",
    };

    private static ContactPoint? FindDestination(ContactRequest request)
    {
        var expected = request.Channel switch
        {
            ContactChannel.Call or ContactChannel.Sms => ContactKind.Phone,
            ContactChannel.Email => ContactKind.Email,
            ContactChannel.Letter => ContactKind.Address,
        };

        if (request.DestinationId is null)
        {
            return request.Channel == ContactChannel.Letter
                ? null
                : throw new ArgumentException($"A {request.Channel} needs a destination contact.", nameof(request));
        }

        var contact = request.Debtor.Contacts.FirstOrDefault(c => string.Equals(c.Id, request.DestinationId, StringComparison.Ordinal))
            ?? throw new ArgumentException($"The debtor has no contact '{request.DestinationId}'.", nameof(request));
        return contact.Kind == expected
            ? contact
            : throw new ArgumentException($"Contact '{contact.Id}' is a {contact.Kind}, which cannot take a {request.Channel}.", nameof(request));
    }
}
