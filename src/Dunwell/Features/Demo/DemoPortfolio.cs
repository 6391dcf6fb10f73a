using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Admin;
using Dunwell.Features.Creditors;
using Dunwell.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Demo;

public sealed record DemoSummary(bool Seeded, int Accounts, int Creditors, int UsersAdded);

/// <summary>
/// A living synthetic portfolio for demos: a US consumer creditor, a UK consumer creditor and a B2B wholesaler, debtors
/// with contacts and consent, opening charges, payments allocated by <see cref="PaymentAllocation"/>, and calls, emails
/// and letters over the last six weeks. Deterministic for a given day (fixed seed); written only into an empty portfolio,
/// in one transaction, so running it again adds nothing.
/// </summary>
internal static class DemoPortfolio
{
    public const int DefaultAccounts = 3000;

    public const string Password = "Dunwell-demo-2026";

    public const string Author = "system:demo";

    private const int Seed = 20_260_302;

    private const int BatchSize = 2000;

    /// <summary>
    /// One user per role acting for every creditor, and two agents who each act for one creditor only, so the scoping is
    /// there to see: signed in as agent.nwu@demo.test, Albion's and Meridian's accounts do not exist.
    /// </summary>
    public static IReadOnlyList<(string Email, string Role, string Creditors)> Users { get; } =
    [
        ("agent@demo.test", Roles.Agent, CreditorScope.Everything),
        ("supervisor@demo.test", Roles.Supervisor, CreditorScope.Everything),
        ("admin@demo.test", Roles.Admin, CreditorScope.Everything),
        ("auditor@demo.test", Roles.Auditor, CreditorScope.Everything),
        ("agent.nwu@demo.test", Roles.Agent, "NWU"),
        ("agent.alb@demo.test", Roles.Agent, "ALB"),
    ];

    /// <summary>What pages call the demo's people, instead of their sign-in addresses.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["agent@demo.test"] = "Sam Carter",
        ["supervisor@demo.test"] = "Priya Natarajan",
        ["admin@demo.test"] = "Dana Whitfield",
        ["auditor@demo.test"] = "Ruth Adeyemi",
        ["agent.nwu@demo.test"] = "Leo Martinez",
        ["agent.alb@demo.test"] = "Niamh Kelly",
    };

    public static async Task<DemoSummary> SeedAsync(IServiceProvider services, int accounts, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<DunwellDb>();
        var clock = services.GetRequiredService<TimeProvider>();
        var zones = services.GetRequiredService<IDateTimeZoneProvider>();

        // Demo users have a published password: never add them to a database demo did not fill itself.
        var userManager = services.GetRequiredService<UserManager<DunwellUser>>();
        var portfolioEmpty = !await db.Accounts.AnyAsync(cancellationToken);
        var demoDatabase = await userManager.FindByEmailAsync(Users[0].Email) is not null;
        if (!portfolioEmpty && !demoDatabase)
        {
            throw new VerbException("this database already holds a portfolio that demo did not create; demo only seeds an empty database (use serve).");
        }

        if (!portfolioEmpty)
        {
            var added = await AddUsersAsync(services, cancellationToken);
            return new DemoSummary(false, await db.Accounts.CountAsync(cancellationToken), await db.Creditors.CountAsync(cancellationToken), added);
        }

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var generator = new Generator(new Random(Seed), clock.Now(), zones);
            accounts = await generator.WriteAsync(db, accounts, cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = true;
            await DemoArrangements.SeedAsync(db, clock.Now(), cancellationToken);
            await DemoCompliance.SeedAsync(db, clock.Now(), cancellationToken);
            await Charges.PostCharges.RunAsync(db, clock.Now().InUtc().Date, null, "system:demo", clock.Now(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }

        // After the creditors exist, so the single-creditor users can be granted theirs.
        var usersAdded = await AddUsersAsync(services, cancellationToken);
        return new DemoSummary(true, accounts, Generator.Creditors.Count, usersAdded);
    }

    private static async Task<int> AddUsersAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var userManager = services.GetRequiredService<UserManager<DunwellUser>>();
        var db = services.GetRequiredService<DunwellDb>();
        var added = 0;
        foreach (var (email, role, creditors) in Users)
        {
            if (await userManager.FindByEmailAsync(email) is null)
            {
                var (grant, error) = await CreditorGrant.ParseAsync(db, creditors, cancellationToken);
                var (user, _) = await AdminVerbs.AddUserAsync(services, email, role, Password, grant ?? throw new InvalidOperationException(error), cancellationToken);
                user.DisplayName = Names[email];
                await userManager.UpdateAsync(user);
                added++;
            }
        }

        return added;
    }

    private sealed record CreditorPlan(
        string Reference, string Name, string Pack, string Zone, string Currency, AccountKind Kind, double Share, string AccountPrefix);

    private sealed record Place(string City, string Region, string PostalPrefix, string Country, string Zone, string? PhonePrefix);

    private sealed class Generator(Random random, Instant now, IDateTimeZoneProvider zones)
    {
        public static IReadOnlyList<CreditorPlan> Creditors { get; } =
        [
            new("NWU", "Northwind Utilities", "US-FDCPA", "America/New_York", "USD", AccountKind.Consumer, 0.5, "NWU"),
            new("ALB", "Albion Telecom", "UK-FCA", "Europe/London", "GBP", AccountKind.Consumer, 0.33, "ALB"),
            new("MER", "Meridian Trade Supplies", "B2B", "Europe/Dublin", "EUR", AccountKind.Commercial, 0.17, "MER"),
        ];

        // Fictional numbers only: NANP 555-01xx, Ofcom's drama ranges (020 7946 0xxx, 07700 900xxx).
        private static readonly Place[] UsPlaces =
        [
            new("Springfield", "IL", "627", "US", "America/Chicago", "+1217555"),
            new("Albany", "NY", "122", "US", "America/New_York", "+1518555"),
            new("Denver", "CO", "802", "US", "America/Denver", "+1303555"),
            new("Sacramento", "CA", "958", "US", "America/Los_Angeles", "+1916555"),
            new("Phoenix", "AZ", "850", "US", "America/Phoenix", "+1602555"),
            new("Savannah", "GA", "314", "US", "America/New_York", "+1912555"),
        ];

        private static readonly Place[] UkPlaces =
        [
            new("London", "", "N1", "GB", "Europe/London", "+4420794"),
            new("Leeds", "", "LS6", "GB", "Europe/London", "+447700900"),
            new("Bristol", "", "BS8", "GB", "Europe/London", "+447700900"),
            new("Glasgow", "", "G12", "GB", "Europe/London", "+447700900"),
            new("Cardiff", "", "CF10", "GB", "Europe/London", "+4420794"),
        ];

        private static readonly Place[] EuPlaces =
        [
            new("Dublin", "", "D02", "IE", "Europe/Dublin", null),
            new("Rotterdam", "", "3011", "NL", "Europe/Amsterdam", null),
            new("Lyon", "", "69002", "FR", "Europe/Paris", null),
            new("Hamburg", "", "20095", "DE", "Europe/Berlin", null),
        ];

        private static readonly string[] FirstNames =
        [
            "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mason", "Amelia", "Ethan",
            "Harper", "Aiden", "Evelyn", "Logan", "Abigail", "Jackson", "Grace", "Samuel", "Chloe", "Daniel", "Priya", "Omar", "Mei",
            "Kwame", "Sofia", "Mateo", "Aisha", "Yusuf", "Hannah", "Leo", "Zara", "Rhys", "Niamh", "Callum", "Freya", "Arjun",
        ];

        private static readonly string[] LastNames =
        [
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
            "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
            "Walker", "Hall", "Young", "Patel", "Khan", "Nguyen", "Okafor", "Evans", "Hughes", "Murphy", "O'Brien", "Campbell", "Kowalski",
        ];

        private static readonly string[] Streets =
        [
            "Maple Avenue", "Oak Street", "Church Road", "High Street", "Mill Lane", "Station Road", "Park View", "Elm Close", "Riverside Drive",
            "Victoria Road", "Cedar Court", "Kings Way", "Orchard Place", "Harbour Street",
        ];

        private static readonly string[] CompanyWords =
        [
            "Harbor", "Summit", "Copper", "Greenfield", "Atlas", "Bluewater", "Northgate", "Keystone", "Silverline", "Oakridge", "Pioneer",
            "Crescent", "Beacon", "Foxglove", "Granite", "Linden",
        ];

        private static readonly string[] CompanyKinds = ["Bakery", "Builders", "Cafés", "Logistics", "Florists", "Hardware", "Print Works", "Catering"];

        private static readonly string[] CompanySuffixes = ["Ltd", "Ltd", "B.V.", "SARL", "GmbH"];

        private static readonly (OutcomeCode Outcome, int Weight)[] CallOutcomes =
        [
            (OutcomeCode.NoAnswer, 34), (OutcomeCode.LeftMessage, 20), (OutcomeCode.RightPartyContact, 26),
            (OutcomeCode.CallbackRequested, 6), (OutcomeCode.Busy, 4), (OutcomeCode.WrongNumber, 3), (OutcomeCode.Hardship, 3),
            (OutcomeCode.Dispute, 2), (OutcomeCode.Refused, 2),
        ];

        private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
        private int _phoneCounter;

        public async Task<int> WriteAsync(DunwellDb db, int accountCount, CancellationToken cancellationToken)
        {
            var creditors = Creditors.Select(c => new Creditor
            {
                Reference = c.Reference,
                Name = c.Name,
                JurisdictionPack = c.Pack,
                TimeZone = c.Zone,
                CreatedAt = now - Duration.FromDays(400),
            }).ToList();
            db.Creditors.AddRange(creditors);
            await db.SaveChangesAsync(cancellationToken);

            // Debtors and accounts, creditor by creditor; about one debtor in ten owes on two accounts.
            var accounts = new List<(Account Account, CreditorPlan Plan, Debtor Debtor)>(accountCount);
            var remaining = accountCount;
            for (var c = 0; c < Creditors.Count; c++)
            {
                var plan = Creditors[c];
                var count = c == Creditors.Count - 1 ? remaining : (int)Math.Round(accountCount * plan.Share);
                count = Math.Min(count, remaining);
                remaining -= count;
                Debtor? previous = null;
                for (var n = 1; n <= count; n++)
                {
                    var debtor = previous is not null && random.NextDouble() < 0.1 ? previous : NewDebtor(plan, creditors[c].Id, accounts.Count + 1);
                    accounts.Add((NewAccount(plan, creditors[c], debtor, n), plan, debtor));
                    previous = debtor;
                }
            }

            foreach (var batch in accounts.Select(a => a.Debtor).Distinct().Chunk(BatchSize))
            {
                db.Debtors.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
            }

            foreach (var batch in accounts.Select(a => a.Account).Chunk(BatchSize))
            {
                db.Accounts.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
            }

            // The records: opening charges, payments and contact history, written in batches.
            var pending = new List<object>(BatchSize);
            foreach (var (account, plan, debtor) in accounts)
            {
                pending.AddRange(Records(account, plan, debtor));
                if (pending.Count >= BatchSize)
                {
                    await FlushAsync(db, pending, cancellationToken);
                }
            }

            await FlushAsync(db, pending, cancellationToken);

            // Statuses and last payment dates were set on the saved accounts while their records were made; automatic
            // change detection is off for speed, so detect those changes once here.
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);

            return accounts.Count;
        }

        private static async Task FlushAsync(DunwellDb db, List<object> pending, CancellationToken cancellationToken)
        {
            db.AddRange(pending);
            await db.SaveChangesAsync(cancellationToken);
            pending.Clear();
        }

        private Debtor NewDebtor(CreditorPlan plan, long creditorId, int number)
        {
            var places = plan.Currency switch
            {
                "USD" => UsPlaces,
                "GBP" => UkPlaces,
                _ => EuPlaces,
            };
            var place = Pick(places);
            var company = plan.Kind == AccountKind.Commercial;
            var first = Pick(FirstNames);
            var last = Pick(LastNames);
            var name = company ? $"{Pick(CompanyWords)} {Pick(CompanyKinds)} {Pick(CompanySuffixes)}" : $"{first} {last}";
            var debtor = new Debtor
            {
                CreditorId = creditorId,
                Reference = string.Create(CultureInfo.InvariantCulture, $"{plan.AccountPrefix}-D{number:000000}"),
                Kind = company ? DebtorKind.Company : DebtorKind.Person,
                Name = name,
                SearchName = name.ToLowerInvariant(),
                AddressLine1 = string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 240)} {Pick(Streets)}"),
                AddressLine2 = random.NextDouble() < 0.15 ? string.Create(CultureInfo.InvariantCulture, $"Unit {random.Next(1, 30)}") : null,
                City = place.City,
                Region = place.Region.Length > 0 ? place.Region : null,
                PostalCode = string.Create(CultureInfo.InvariantCulture, $"{place.PostalPrefix}{(place.Country == "US" ? random.Next(10, 99).ToString(CultureInfo.InvariantCulture) : place.Country == "GB" ? $" {random.Next(1, 9)}AB" : "")}"),
                Country = place.Country,
                TimeZone = place.Zone,
                Language = place.Country switch
                {
                    "US" => random.NextDouble() < 0.12 ? "es-US" : "en-US",
                    "GB" => random.NextDouble() < 0.05 ? "cy-GB" : "en-GB",
                    "FR" => "fr-FR",
                    "DE" => "de-DE",
                    "NL" => "nl-NL",
                    _ => "en-IE",
                },
                CreatedAt = now - Duration.FromDays(random.Next(60, 400)),
            };
            debtor.UpdatedAt = debtor.CreatedAt;
            var handle = company
                ? $"accounts@{name.Split(' ')[0].ToLowerInvariant()}{number}.example.com"
                : $"{first.ToLowerInvariant()}.{last.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)}{number}@example.{Pick(["com", "org", "net"])}";
            if (_emails.Add(handle))
            {
                debtor.Contacts.Add(Contact(ContactKind.Email, handle, "primary", null, random.NextDouble() < 0.06 ? ConsentState.OptedOut : ConsentState.Granted));
            }

            if (place.PhonePrefix is { } prefix)
            {
                debtor.Contacts.Add(Contact(ContactKind.Phone, NextPhone(prefix), company ? "office" : "mobile", place.Zone,
                    random.NextDouble() < 0.7 ? ConsentState.Granted : ConsentState.Unknown));
            }

            debtor.Contacts.Add(Contact(ContactKind.Address, $"{debtor.AddressLine1}, {debtor.City} {debtor.PostalCode}, {debtor.Country}", "home", place.Zone, ConsentState.Granted));
            Preferences(debtor, company);

            var flag = random.NextDouble();
            var today = now.InZone(zones[place.Zone]).Date;
            if (!company && flag < 0.02)
            {
                debtor.Flags.Add(Flag(DebtorFlagKind.Vulnerable, today.PlusDays(-random.Next(5, 90)), null, "Recently bereaved; offer breathing room."));
            }
            else if (place.Country == "GB" && flag < 0.03)
            {
                // Since is day 1 (the day after the register entry); day 60, the last protected day, is since + 59.
                var since = today.PlusDays(-random.Next(5, 50));
                debtor.Flags.Add(Flag(DebtorFlagKind.BreathingSpace, since, since.PlusDays(59), "Standard breathing space (Debt Respite Scheme)."));
            }
            else if (place.Country == "US" && flag < 0.03)
            {
                debtor.Flags.Add(Flag(DebtorFlagKind.RepresentedByAttorney, today.PlusDays(-random.Next(5, 90)), null, "Letter of representation received."));
            }

            return debtor;
        }

        /// <summary>
        /// Preferences that agree with the debtor's own contacts and with each other: a preferred channel the debtor can be
        /// reached on, contact hours, or weekday working hours as inconvenient times (never both), and tone notes that say
        /// nothing the hours contradict.
        /// </summary>
        private void Preferences(Debtor debtor, bool company)
        {
            var email = debtor.Contacts.Any(c => c is { Kind: ContactKind.Email, Consent: ConsentState.Granted });
            var phone = debtor.Contacts.Any(c => c.Kind == ContactKind.Phone);
            var roll = random.NextDouble();
            debtor.PreferredChannel = roll switch
            {
                < 0.15 when email => InteractionChannel.Email,
                >= 0.15 and < 0.22 when phone && !company => InteractionChannel.Sms,
                >= 0.22 and < 0.30 when phone => InteractionChannel.Call,
                _ => null,
            };

            var hours = random.NextDouble();
            if (hours < 0.2)
            {
                debtor.ContactFrom = new LocalTime(random.Next(8, 12), 0);
                debtor.ContactUntil = new LocalTime(random.Next(16, 20), 0);
            }
            else if (hours < 0.23 && !company)
            {
                // Said they cannot take calls at work; the evening and the weekend are fine.
                debtor.InconvenientTimes.Add(new DebtorInconvenientTime { From = WorkStarts, Until = WorkEnds, Days = "mon,tue,wed,thu,fri" });
                debtor.ToneNotes = "At work 9 to 5 on weekdays; evenings and weekends suit.";
                return;
            }
            else if (hours < 0.25 && !company)
            {
                debtor.ContactFrom = new LocalTime(14, 0);
                debtor.ContactUntil = new LocalTime(20, 0);
                debtor.ToneNotes = "Works night shifts: afternoons and early evenings only.";
                return;
            }

            if (random.NextDouble() < 0.05)
            {
                string[] notes = email
                    ? ["Prefers short, direct calls.", "Hard of hearing: speak clearly, offer email.", "Asked to be addressed formally."]
                    : ["Prefers short, direct calls.", "Asked to be addressed formally."];
                debtor.ToneNotes = Pick(notes);
            }
        }

        private static readonly LocalTime WorkStarts = new(9, 0);

        private static readonly LocalTime WorkEnds = new(17, 0);

        private Account NewAccount(CreditorPlan plan, Creditor creditor, Debtor debtor, int number)
        {
            var today = now.InZone(zones[plan.Zone]).Date;
            var due = random.NextDouble() < 0.05 ? today.PlusDays(random.Next(1, 21)) : today.PlusDays(-random.Next(5, 420));
            return new Account
            {
                Reference = string.Create(CultureInfo.InvariantCulture, $"{plan.AccountPrefix}-{100000 + number}"),
                Creditor = creditor,
                Debtor = debtor,
                Kind = plan.Kind,
                Currency = plan.Currency,
                DueDate = due,
                ItemizationDate = plan.Pack == "US-FDCPA" ? due.PlusDays(30) : null,
                OriginalCreditor = plan.Kind == AccountKind.Consumer && random.NextDouble() < 0.2 ? Pick(["Lakeside Energy", "Brightline Mobile", "Crestview Water"]) : null,
                Status = AccountStatus.Active,
                AssignedAgent = random.NextDouble() < 0.6 ? "agent@demo.test" : null,
                CreatedAt = now - Duration.FromDays(random.Next(30, 60)),
                UpdatedAt = now - Duration.FromDays(random.Next(0, 30)),
            };
        }

        /// <summary>The opening charge, then payments (allocated exactly as a posted payment is), then the contact history.</summary>
        private IEnumerable<object> Records(Account account, CreditorPlan plan, Debtor debtor)
        {
            var exponent = Currency.Of(plan.Currency).Exponent;
            var unit = (long)Math.Pow(10, exponent);
            var principal = plan.Kind == AccountKind.Commercial
                ? (long)(Math.Exp(Uniform(Math.Log(400), Math.Log(40_000))) * unit)
                : (long)(Math.Exp(Uniform(Math.Log(40), Math.Log(6_000))) * unit);
            var interest = plan.Kind == AccountKind.Consumer && random.NextDouble() < 0.6 ? principal * random.Next(1, 12) / 100 : 0;
            var fees = plan.Kind == AccountKind.Consumer && random.NextDouble() < 0.5 ? Pick(new long[] { 15, 25, 35 }) * unit : 0;
            var today = now.InZone(zones[plan.Zone]).Date;
            var placed = account.CreatedAt;
            yield return new LedgerEntry
            {
                AccountId = account.Id,
                Kind = LedgerEntryKind.Charge,
                Principal = principal,
                Interest = interest,
                Fees = fees,
                Currency = plan.Currency,
                ValueDate = account.DueDate,
                PostedAt = placed,
                PostedBy = Author,
                IdempotencyKey = $"demo:{account.Reference}:charge",
                Reference = plan.Kind == AccountKind.Commercial ? string.Create(CultureInfo.InvariantCulture, $"INV-{random.Next(10000, 99999)}") : null,
            };

            var balance = new Components(principal, interest, fees);
            var overdue = Period.DaysBetween(account.DueDate, today);
            var payments = overdue > 10 && random.NextDouble() < 0.38 ? random.Next(1, 4) : 0;
            var payInFull = payments > 0 && random.NextDouble() < 0.15;
            var paidOn = account.DueDate;
            for (var p = 1; p <= payments; p++)
            {
                paidOn = paidOn.PlusDays(random.Next(1, Math.Max(2, Period.DaysBetween(paidOn, today) / 2)));
                if (paidOn > today)
                {
                    break;
                }

                var amount = payInFull && p == payments ? balance.Total : Math.Max(unit, balance.Total * random.Next(5, 35) / 100);
                if (amount <= 0)
                {
                    break;
                }

                var allocation = PaymentAllocation.Allocate(balance, amount);
                balance += allocation;
                account.LastPaymentDate = paidOn;
                var payment = new LedgerEntry
                {
                    AccountId = account.Id,
                    Kind = LedgerEntryKind.Payment,
                    Principal = allocation.Principal,
                    Interest = allocation.Interest,
                    Fees = allocation.Fees,
                    Currency = plan.Currency,
                    ValueDate = paidOn,
                    PostedAt = Min(paidOn.PlusDays(1).AtMidnight().InZoneLeniently(zones[plan.Zone]).ToInstant(), now),
                    PostedBy = Author,
                    IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"demo:{account.Reference}:payment:{p}"),
                    Method = Pick(["card", "bank_transfer", "direct_debit", "cheque"]),
                    // Unique per creditor, as every payment reference is: the random serial alone would repeat.
                    Reference = string.Create(CultureInfo.InvariantCulture, $"PAY-{random.Next(100000, 999999)}-{account.Id}-{p}"),
                };
                yield return payment;
                yield return new PaymentReference { CreditorId = account.CreditorId, Reference = payment.Reference, Entry = payment };
            }

            // "In arrangement" only where an arrangement is made (DemoArrangements); "Disputed" gets its dispute (DemoCompliance).
            account.Status = balance.Total <= 0
                ? AccountStatus.Paid
                : random.NextDouble() < 0.03 ? AccountStatus.Disputed : AccountStatus.Active;

            // Contact history over the last six weeks, only on channels the debtor has, inside their contact hours and
            // outside their inconvenient times, and never after something that stops contact (a cease, an attorney, a
            // breathing space, or the debt paid off).
            if (account.DueDate >= today)
            {
                yield break;
            }

            var debtorZone = zones[debtor.TimeZone ?? plan.Zone];
            var stopsOn = ContactStops(debtor, account);
            var touches = random.Next(0, 7);
            for (var t = 0; t < touches; t++)
            {
                var day = today.PlusDays(-random.Next(1, 42));
                var channel = ChannelFor(debtor);
                var outcome = channel == InteractionChannel.Call ? Weighted(CallOutcomes) : OutcomeCode.None;
                if (outcome == OutcomeCode.Dispute && account.Status != AccountStatus.Disputed)
                {
                    outcome = OutcomeCode.RightPartyContact;
                }

                var inbound = channel is InteractionChannel.Email or InteractionChannel.Sms && random.NextDouble() < 0.3;
                if (!inbound && channel != InteractionChannel.Note && stopsOn is { } stop && day >= stop)
                {
                    continue;
                }

                var at = day.At(TimeOfContact(debtor, day)).InZoneLeniently(debtorZone).ToInstant();
                yield return new Interaction
                {
                    AccountId = account.Id,
                    DebtorId = debtor.Id,
                    Channel = channel,
                    Direction = channel == InteractionChannel.Note ? InteractionDirection.Internal : inbound ? InteractionDirection.Inbound : InteractionDirection.Outbound,
                    OccurredAt = at,
                    RecordedAt = at + Duration.FromMinutes(random.Next(1, 20)),
                    Author = random.NextDouble() < 0.85 ? "user:agent@demo.test" : "user:supervisor@demo.test",
                    Outcome = outcome,
                    Conversation = outcome is OutcomeCode.RightPartyContact or OutcomeCode.Promise or OutcomeCode.CallbackRequested
                        or OutcomeCode.Hardship or OutcomeCode.Dispute or OutcomeCode.Refused or OutcomeCode.ThirdPartyContact,
                    Notes = NoteFor(channel, outcome, inbound, plan),
                };
            }
        }

        /// <summary>The first day the debtor may no longer be contacted about this account, if there is one.</summary>
        private static LocalDate? ContactStops(Debtor debtor, Account account)
        {
            var stops = debtor.Flags.Where(f => f.Kind is DebtorFlagKind.CeaseCommunication or DebtorFlagKind.RepresentedByAttorney or DebtorFlagKind.BreathingSpace)
                .Select(f => (LocalDate?)f.Since).Min();
            var paidOff = account.Status == AccountStatus.Paid ? account.LastPaymentDate?.PlusDays(1) : null;
            return stops is { } s && paidOff is { } p ? LocalDate.Min(s, p) : stops ?? paidOff;
        }

        /// <summary>Mostly calls, then email, texts, letters and notes, among the channels the debtor has.</summary>
        private InteractionChannel ChannelFor(Debtor debtor)
        {
            var email = debtor.Contacts.Any(c => c is { Kind: ContactKind.Email, Consent: ConsentState.Granted });
            var phone = debtor.Contacts.Any(c => c.Kind == ContactKind.Phone);
            var channel = random.NextDouble() switch
            {
                < 0.68 => InteractionChannel.Call,
                < 0.80 => InteractionChannel.Email,
                < 0.90 => InteractionChannel.Sms,
                < 0.95 => InteractionChannel.Letter,
                _ => InteractionChannel.Note,
            };
            return channel switch
            {
                InteractionChannel.Call or InteractionChannel.Sms when !phone => email ? InteractionChannel.Email : InteractionChannel.Letter,
                InteractionChannel.Email when !email => InteractionChannel.Letter,
                _ => channel,
            };
        }

        /// <summary>A local time inside the debtor's contact hours (9:00–19:00 without them), moved to the evening when it falls in their working hours.</summary>
        private LocalTime TimeOfContact(Debtor debtor, LocalDate day)
        {
            var (from, until) = debtor is { ContactFrom: { } f, ContactUntil: { } u } ? (f, u) : (new LocalTime(9, 0), new LocalTime(19, 0));
            var time = from.PlusMinutes(random.Next(0, (int)Period.Between(from, until, PeriodUnits.Minutes).Minutes));
            var atWork = debtor.InconvenientTimes.Count > 0 && day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
                && time >= WorkStarts && time < WorkEnds;
            return atWork ? WorkEnds.PlusMinutes(random.Next(0, 120)) : time;
        }

        private string? NoteFor(InteractionChannel channel, OutcomeCode outcome, bool inbound, CreditorPlan plan) => (channel, outcome) switch
        {
            (InteractionChannel.Call, OutcomeCode.NoAnswer) => random.NextDouble() < 0.5 ? null : "Rang out, no voicemail.",
            (InteractionChannel.Call, OutcomeCode.LeftMessage) => "Left a short message with our number and reference only.",
            (InteractionChannel.Call, OutcomeCode.RightPartyContact) => Pick([
                "Spoke with the customer, confirmed identity, explained the balance. Will review budget and call back.",
                "Customer confirmed the address and asked for a statement by email.",
                "Discussed options; customer wants to pay in full at the end of the month.",
            ]),
            (InteractionChannel.Call, OutcomeCode.CallbackRequested) => "Customer was busy and asked us to call another day.",
            (InteractionChannel.Call, OutcomeCode.Busy) => null,
            (InteractionChannel.Call, OutcomeCode.WrongNumber) => "Person answering does not know the customer.",
            (InteractionChannel.Call, OutcomeCode.Hardship) => "Customer lost hours at work and cannot pay the usual amount. Talked through a smaller plan; nothing agreed yet.",
            (InteractionChannel.Call, OutcomeCode.Dispute) => "Customer says the final bill was estimated, not read, and disputes it.",
            (InteractionChannel.Call, OutcomeCode.Refused) => "Customer declined to discuss the account today. Stayed courteous.",
            (InteractionChannel.Email, _) => inbound ? "Customer replied asking for a statement." : "Friendly reminder with the balance and the ways to pay.",
            (InteractionChannel.Sms, _) => inbound ? "Customer: \"Will pay on payday, thanks.\"" : "Reminder text with the balance and our number.",
            (InteractionChannel.Letter, _) => plan.Pack == "US-FDCPA" ? "Validation notice mailed." : "Statement of account posted.",
            (InteractionChannel.Note, _) => "Reviewed the account and its history.",
            _ => null,
        };

        private DebtorContact Contact(ContactKind kind, string value, string label, string? zone, ConsentState consent) => new()
        {
            Kind = kind,
            Value = value,
            Label = label,
            TimeZone = zone,
            Consent = consent,
            ConsentChangedAt = consent == ConsentState.Unknown ? null : now - Duration.FromDays(random.Next(1, 200)),
            CreatedAt = now - Duration.FromDays(random.Next(60, 400)),
        };

        private static DebtorFlag Flag(DebtorFlagKind kind, LocalDate since, LocalDate? until, string note) => new()
        {
            Kind = kind,
            Since = since,
            Until = until,
            Note = note,
            RecordedBy = "user:supervisor@demo.test",
            RecordedAt = since.AtMidnight().InUtc().ToInstant() + Duration.FromHours(10),
        };

        /// <summary>The next fictional number after a prefix: +1 NPA 555-01xx, +44 20 7946 0xxx or +44 7700 900xxx.</summary>
        private string NextPhone(string prefix)
        {
            _phoneCounter++;
            return prefix switch
            {
                _ when prefix.StartsWith("+1", StringComparison.Ordinal) => string.Create(CultureInfo.InvariantCulture, $"{prefix}01{_phoneCounter % 100:00}"),
                "+4420794" => string.Create(CultureInfo.InvariantCulture, $"{prefix}60{_phoneCounter % 1000:000}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{prefix}{_phoneCounter % 1000:000}"),
            };
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private double Uniform(double low, double high) => low + (random.NextDouble() * (high - low));

        private OutcomeCode Weighted((OutcomeCode Outcome, int Weight)[] choices)
        {
            var roll = random.Next(choices.Sum(c => c.Weight));
            foreach (var (outcome, weight) in choices)
            {
                if (roll < weight)
                {
                    return outcome;
                }

                roll -= weight;
            }

            return choices[^1].Outcome;
        }

        private static Instant Min(Instant a, Instant b) => a < b ? a : b;
    }
}
