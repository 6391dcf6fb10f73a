using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>Small builders so each test states only the facts it is about.</summary>
internal static class Scenario
{
    public const string NewYorkPhone = "+12125550100";
    public const string LosAngelesPhone = "+14155550100";
    public const string PhoenixPhone = "+16025550100";
    public const string LondonPhone = "+442079460000";

    public static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    public static readonly DateTimeZone LosAngeles = DateTimeZoneProviders.Tzdb["America/Los_Angeles"];
    public static readonly DateTimeZone Phoenix = DateTimeZoneProviders.Tzdb["America/Phoenix"];
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    public static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    public static Instant At(DateTimeZone zone, int year, int month, int day, int hour, int minute, int second = 0) =>
        new LocalDateTime(year, month, day, hour, minute, second).InZoneStrictly(zone).ToInstant();

    public static ContactPoint Phone(string id, string number) => new(id, ContactKind.Phone, number);

    public static ContactPoint Email(string id, string address) => new(id, ContactKind.Email, address);

    /// <summary>A consumer with a New York mobile and a personal email.</summary>
    public static DebtorFacts Consumer() => Person(Phone("mobile", NewYorkPhone), Email("email", "pat@example.com"));

    public static DebtorFacts Person(params ContactPoint[] contacts) => new(DebtorKind.Person) { Contacts = contacts };

    public static AccountFacts Debt(string id = "A-1") => new(id, AccountKind.Consumer);

    public static ContactRequest Call(Instant at, DebtorFacts? debtor = null, params ContactEvent[] history) =>
        new(at, ContactChannel.Call, "mobile", ContactPurpose.Collection, debtor ?? Consumer(), [Debt()], history);

    public static ContactRequest Send(ContactChannel channel, Instant at, DebtorFacts? debtor = null, ContactPurpose purpose = ContactPurpose.Collection, params ContactEvent[] history) =>
        new(at, channel, channel switch { ContactChannel.Email => "email", ContactChannel.Letter => null, _ => "mobile" }, purpose, debtor ?? Consumer(), [Debt()], history);

    public static ContactEvent PlacedCall(Instant at, params string[] accounts) =>
        new(at, ContactChannel.Call, InteractionDirection.Outbound, ContactResult.Attempted) { Accounts = accounts.Length == 0 ? ["A-1"] : accounts };

    public static ContactEvent Spoke(Instant at, InteractionDirection direction = InteractionDirection.Outbound, string account = "A-1") =>
        new(at, ContactChannel.Call, direction, ContactResult.Conversation) { Accounts = [account] };

    public static ContactDecision Us(ContactRequest request, FirmPolicy? firm = null) => ComplianceEngine.Decide(request, RulePacks.Default.Us, firm);

    public static ContactDecision Uk(ContactRequest request, FirmPolicy? firm = null) => ComplianceEngine.Decide(request, RulePacks.Default.Uk, firm);

    public static IEnumerable<string> Rules(this ContactDecision decision) => decision.Reasons.Select(r => r.RuleId);
}
