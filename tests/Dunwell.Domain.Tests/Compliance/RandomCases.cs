using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Compliance;
using NodaTime;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>A whole contact question built from one seed: debtor, accounts, history, pack and firm policy, all random but reproducible.</summary>
internal sealed record RandomCase(ContactRequest Request, RulePack Pack, FirmPolicy? Firm)
{
    private static readonly string[] PhoneNumbers =
        [Scenario.NewYorkPhone, Scenario.LosAngelesPhone, Scenario.PhoenixPhone, "+13125550100", "+18085550100", "+19075550100", Scenario.LondonPhone, "+12085550100"];

    // Zones with awkward rules: half-hour DST (Lord Howe), 45-minute offset (Kathmandu), transitions at midnight (Santiago, Havana).
    private static readonly string[] OddZones =
        ["Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago", "America/Havana", "America/New_York", "Europe/London", "Pacific/Honolulu"];

    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 0, 0);
    private static readonly Currency Usd = Currency.Of("USD");

    public static RandomCase From(int seed)
    {
        var random = new Random(seed);
        var at = Start + Duration.FromSeconds(random.NextInt64(0, 366L * 24 * 3600));
        var pack = Pick<RulePack>(random, RulePacks.Default.Us, RulePacks.Default.Uk, RulePacks.Default.B2b);

        var contacts = new List<ContactPoint>();
        for (var i = 0; i < random.Next(1, 3); i++)
        {
            contacts.Add(new ContactPoint($"phone{i}", ContactKind.Phone, Pick(random, PhoneNumbers))
            {
                TimeZone = Chance(random, 0.2) ? Pick(random, OddZones) : null,
                OptedOutAt = Chance(random, 0.1) ? at - Hours(random, 200) : null,
                Workplace = Chance(random, 0.15),
                EmployerProhibits = Chance(random, 0.5),
                InconvenientPlace = Chance(random, 0.05),
                Consent = Chance(random, 0.3) ? new ContactConsent(at - Hours(random, 300), Chance(random, 0.5) ? at + Hours(random, 300) - Hours(random, 300) : null) : null,
            });
        }

        contacts.Add(new ContactPoint("email", ContactKind.Email, "someone@example.com")
        {
            Workplace = Chance(random, 0.15),
            OptedOutAt = Chance(random, 0.1) ? at - Hours(random, 200) : null,
        });

        var accountIds = new[] { "A-1", "A-2" }.Take(random.Next(1, 3)).ToArray();
        var debtor = new DebtorFacts(pack is B2bPack ? DebtorKind.Company : DebtorKind.Person)
        {
            LocationTimeZone = Chance(random, 0.15) ? Pick(random, OddZones) : null,
            Address = Chance(random, 0.3) ? new PostalAddress(Pick(random, "US", "GB"), Pick(random, "NY", "TX", "AZ", "FL", null)) : null,
            Contacts = contacts,
            InconvenientTimes = [.. Enumerable.Range(0, Chance(random, 0.3) ? random.Next(1, 3) : 0)
                .Select(_ => new InconvenientTime(new LocalTime(random.Next(24), 15 * random.Next(4)), new LocalTime(random.Next(24), 15 * random.Next(4))))],
            Flags = [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => new DebtorFlag(
                Pick(random, Enum.GetValues<DebtorFlagKind>()), at - Hours(random, 400) + Hours(random, 100), Chance(random, 0.4) ? at + Hours(random, 500) : null)
            { Accounts = Chance(random, 0.3) ? [Pick(random, "A-1", "A-2")] : null })],
            BreathingSpaces = Chance(random, 0.15)
                ? [new BreathingSpace(at.InUtc().Date.PlusDays(-random.Next(0, 70)), Kind: Chance(random, 0.2) ? BreathingSpaceKind.MentalHealthCrisis : BreathingSpaceKind.Standard)]
                : [],
            MediumOptOuts = Chance(random, 0.15) ? [new MediumOptOut(Pick(random, Enum.GetValues<ContactChannel>()), at - Hours(random, 300), Chance(random, 0.3) ? at + Hours(random, 300) : null)] : [],
            Consents = [.. Enumerable.Range(0, Chance(random, 0.2) ? 1 : 0).Select(_ => new PriorConsent(
                Pick(random, ConsentScope.InconvenientTime, ConsentScope.CallFrequency), at - Hours(random, 200) + Hours(random, 100), Chance(random, 0.5) ? at + Hours(random, 100) : null))],
        };

        var accounts = accountIds.Select(id => new AccountFacts(id, pack is B2bPack || Chance(random, 0.1) ? AccountKind.Commercial : AccountKind.Consumer)
        {
            TimeBarred = Chance(random, 0.1),
            TimeBarredFrom = Chance(random, 0.1) ? at.InUtc().Date.PlusDays(random.Next(-5, 5)) : null,
            ValidationNoticeSentAt = Chance(random, 0.5) ? at - Hours(random, 1_500) : null,
            Balance = new Money(50_000, Usd),
            Disputes = Chance(random, 0.2)
                ? [new Dispute(at - Hours(random, 900), Chance(random, 0.7))
                {
                    Amount = Chance(random, 0.3) ? new Money(10_000, Usd) : null,
                    VerifiedAt = Chance(random, 0.5) ? at + Hours(random, 400) - Hours(random, 200) : null,
                }]
                : [],
        }).ToList();

        var history = Events(random, at, accountIds, contacts, random.Next(0, 25));
        if (Chance(random, 0.4))
        {
            // A burst of placed calls and the odd conversation in the last week, so the frequency rules are exercised.
            history = [.. history, .. Enumerable.Range(0, random.Next(5, 12)).Select(_ => new ContactEvent(
                at - Duration.FromMinutes(random.Next(0, 8 * 24 * 60)), ContactChannel.Call, InteractionDirection.Outbound,
                Pick(random, ContactResult.Attempted, ContactResult.Attempted, ContactResult.Voicemail, ContactResult.Conversation, ContactResult.NotConnected))
            { Accounts = [Pick(random, accountIds)] })];
        }
        var channel = Pick(random, ContactChannel.Call, ContactChannel.Call, ContactChannel.Sms, ContactChannel.Email, ContactChannel.Letter);
        var destination = channel switch
        {
            ContactChannel.Email => "email",
            ContactChannel.Letter => null,
            _ => contacts[random.Next(contacts.Count - 1)].Id,
        };

        var request = new ContactRequest(at, channel, destination, Pick(random, Enum.GetValues<ContactPurpose>()), debtor, accounts, history)
        {
            Automated = Chance(random, 0.2),
            MentionsLegalAction = Chance(random, 0.1),
            InResponseTo = Chance(random, 0.1) ? at - Hours(random, 5) : null,
            CreditorTimeZone = Chance(random, 0.5) ? "Europe/Berlin" : null,
        };

        return new RandomCase(request, pack, Chance(random, 0.5) ? RandomFirm(random, pack) : null);
    }

    /// <summary>Random recorded contacts, from ten days before the instant to a day after.</summary>
    public static IReadOnlyList<ContactEvent> Events(Random random, Instant at, string[] accountIds, IReadOnlyList<ContactPoint> contacts, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new ContactEvent(
            at - Duration.FromMinutes(random.Next(-24 * 60, 10 * 24 * 60)),
            Pick(random, ContactChannel.Call, ContactChannel.Call, ContactChannel.Sms, ContactChannel.Email, ContactChannel.Letter),
            Pick(random, InteractionDirection.Outbound, InteractionDirection.Outbound, InteractionDirection.Inbound),
            Pick(random, Enum.GetValues<ContactResult>()))
        {
            Accounts = Chance(random, 0.1) ? [] : [Pick(random, accountIds)],
            ContactId = Pick(random, contacts).Id,
        })];

    public static FirmPolicy RandomFirm(Random random, RulePack pack)
    {
        var opens = pack.Hours is { } hours ? hours.Opens.PlusMinutes(15 * random.Next(0, 8)) : new LocalTime(random.Next(0, 12), 0);
        var closes = pack.Hours is { } packHours ? packHours.Closes.PlusMinutes(-15 * random.Next(0, 8)) : new LocalTime(random.Next(13, 24), 0);
        return new FirmPolicy
        {
            Hours = Chance(random, 0.7) ? new ContactWindow(opens, closes) : null,
            NoContactDays = Chance(random, 0.5) ? new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Sunday } : new HashSet<IsoDayOfWeek>(),
            NoContactDates = Chance(random, 0.2) ? new HashSet<LocalDate> { new(2026, 12, 25), new(2026, 7, 4) } : new HashSet<LocalDate>(),
            MaxContactsPerWeek = Chance(random, 0.5) ? new Dictionary<ContactChannel, int> { [ContactChannel.Call] = random.Next(1, 6), [ContactChannel.Email] = random.Next(1, 4) } : new Dictionary<ContactChannel, int>(),
            HoldDisputedAccounts = Chance(random, 0.5),
        };
    }

    private static Duration Hours(Random random, int max) => Duration.FromMinutes(random.Next(0, max * 60));

    private static bool Chance(Random random, double p) => random.NextDouble() < p;

    private static T Pick<T>(Random random, params IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
