using System.Data.Common;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Ledger;
using Dunwell.Web;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Features.Imports;

/// <summary>
/// Imports a placement file (DESIGN §4.1, §5.4): creditors by creditor_ref, debtors de-duplicated by debtor_ref with their
/// contacts, accounts by account_ref, and each account's opening charge. Importing the same file again changes nothing;
/// changed amounts post an adjustment for the difference (the ledger is append-only), changed fields are updated.
/// </summary>
public static class ImportPlacements
{
    public const string Kind = "placements";

    public static Task<ImportReport> RunAsync(DunwellDb db, TimeProvider clock, Stream file, ImportOptions options, CancellationToken cancellationToken)
    {
        var phones = new PhoneCache();
        return ImportRunner.RunAsync<PlacementInput>(
            db, clock, file, Kind, AuditLog.Actions.ImportPlacements, PlacementCsv.Columns, (line, values) => PlacementInput.Check(line, values, phones, null),
            async (bulk, now) => await PlacementApplier.CreateAsync(bulk, now, options.Actor, phones, db.Scope),
            afterRows: null, options, cancellationToken);
    }

    /// <summary>
    /// The jurisdiction rule pack a new creditor starts with, from its first account. Consumer rows are only accepted
    /// from US and GB debtors (the row check refuses others), so every consumer account has a pack that fits.
    /// </summary>
    public static string JurisdictionPackFor(AccountKind kind, string country) => kind switch
    {
        AccountKind.Commercial => RulePacks.B2bId,
        AccountKind.Consumer when string.Equals(country, "GB", StringComparison.Ordinal) => RulePacks.UkFcaId,
        AccountKind.Consumer => RulePacks.UsFdcpaId,
    };

    public static string OpeningKey(string accountRef) => $"placement:{accountRef}:opening";

    public static string AdjustmentKey(string accountRef, long sequence) => $"placement:{accountRef}:adjustment:{sequence}";
}

/// <summary>
/// A placement row on its way to the database: checked (<see cref="Row"/> set), or recognised by its hash as the row
/// last applied to its account, in which case the checks wait until the database stage finds the account and debtor
/// changed since (<see cref="PlacementHash"/>).
/// </summary>
internal sealed class PlacementInput(int line, string?[] values, byte[] hash, PlacementRow? row)
{
    public int Line { get; } = line;

    public string?[] Values { get; } = values;

    public byte[] Hash { get; } = hash;

    public PlacementRow? Row { get; set; } = row;

    // Present in a row that was applied before, and the same as the checked row's (the checks keep them as given).
    public string CreditorRef => Values[0]!;

    public string AccountRef => Values[1]!;

    public string DebtorRef => Values[2]!;

    /// <summary>The row checks, skipped for a row whose values match the hash stored for its account.</summary>
    public static Parsed<PlacementInput> Check(int line, string?[] values, PhoneCache phones, IReadOnlyDictionary<string, byte[]>? stored)
    {
        var hash = PlacementHash.OfRow(values);
        if (stored is not null && values[1] is { } accountRef && PlacementHash.SameRow(stored.GetValueOrDefault(accountRef), hash))
        {
            return new Parsed<PlacementInput>(line, new PlacementInput(line, values, hash, null), null);
        }

        var (row, errors) = PlacementCsv.Parse(line, values, phones);
        return row is null
            ? new Parsed<PlacementInput>(line, null, errors)
            : new Parsed<PlacementInput>(line, new PlacementInput(line, values, hash, row), null);
    }
}

/// <summary>The database stage of a placement import: bulk lookups per chunk, then plain inserts and updates.</summary>
internal sealed class PlacementApplier : IChunkApplier<PlacementInput>
{
    private const string InsertCreditor =
        "INSERT INTO creditors (id, reference, name, jurisdiction_pack, time_zone, created_at, updated_at) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p5)";

    private const string InsertDebtor =
        "INSERT INTO debtors (id, reference, kind, name, search_name, address_line1, address_line2, city, region, postal_code, country, time_zone, language, created_at, updated_at, creditor_id, address_time_zone) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16)";

    private const string UpdateDebtor =
        "UPDATE debtors SET kind = @p1, name = @p2, search_name = @p3, address_line1 = @p4, address_line2 = @p5, city = @p6, region = @p7, " +
        "postal_code = @p8, country = @p9, time_zone = @p10, language = @p11, updated_at = @p12, address_time_zone = @p13 WHERE id = @p0";

    // A placement file has no workplace or inconvenient-place markers: a new contact starts without them (the columns are NOT NULL).
    private const string InsertContact =
        "INSERT INTO debtor_contacts (id, debtor_id, kind, value, label, time_zone, consent, created_at, workplace, employer_prohibits, inconvenient_place) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, FALSE, FALSE, FALSE)";

    // The account's ledger head goes in with it: the opening entry is linked first and inserted after.
    private static readonly string InsertAccount =
        "INSERT INTO accounts (id, reference, creditor_id, debtor_id, kind, currency, due_date, itemization_date, original_creditor, last_payment_date, status, created_at, updated_at, placement_hash, " +
        $"{BulkChains.Columns.LengthColumn}, {BulkChains.Columns.HashColumn}) " +
        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15)";

    private const string UpdateHash = "UPDATE accounts SET placement_hash = @p1 WHERE id = @p0";

    // A consent or opt-out the file dates: recorded now by the importer, counted by the rules from when it was given.
    private const string InsertDatedFlag =
        "INSERT INTO debtor_flags (id, debtor_id, kind, since, until, note, recorded_by, recorded_at, \"at\", ended_at) " +
        "VALUES (@p0, @p1, @p2, @p3, NULL, @p4, @p5, @p6, @p7, NULL)";

    private const string GrantConsent = "UPDATE debtor_contacts SET consent = @p1, consent_changed_at = @p2, consent_expires_at = NULL WHERE id = @p0";

    private const string UpdateAccount =
        "UPDATE accounts SET debtor_id = @p1, kind = @p2, due_date = @p3, itemization_date = @p4, original_creditor = @p5, last_payment_date = @p6, updated_at = @p7 WHERE id = @p0";

    private static readonly string Charge = nameof(LedgerEntryKind.Charge);
    private static readonly string Adjustment = nameof(LedgerEntryKind.Adjustment);

    private readonly BulkDb _bulk;
    private readonly DateTime _now;
    private readonly Instant _postedAt;
    private readonly DateOnly _today;
    private readonly string _actor;
    private readonly Dictionary<string, long> _creditors;
    private readonly Dictionary<long, DateTimeZone> _creditorZones;
    private readonly CreditorScope _scope;
    private readonly PhoneCache _phones;
    private bool _probe;

    // What this run has already written, by id, with the line that wrote it: a later row must agree with it.
    private readonly Dictionary<long, int> _debtorsSeen = [];
    private readonly Dictionary<long, int> _accountsSeen = [];

    private BulkChains? _chainsField;

    private BulkChains Chains => _chainsField ??= new BulkChains(_bulk);

    private PlacementApplier(
        BulkDb bulk, Instant now, string actor, Dictionary<string, long> creditors, Dictionary<long, DateTimeZone> creditorZones, PhoneCache phones, CreditorScope scope)
    {
        _creditorZones = creditorZones;
        _scope = scope;
        _phones = phones;
        _bulk = bulk;
        _now = now.ToDateTimeUtc();
        _postedAt = now;
        _today = now.InUtc().Date.ToDateOnly();
        _actor = actor;
        _creditors = creditors;
    }

    public static async Task<PlacementApplier> CreateAsync(BulkDb bulk, Instant now, string actor, PhoneCache phones, CreditorScope scope)
    {
        // Creditors are few: all of them, once (those out of the caller's scope are refused row by row, as if unknown).
        var creditors = new Dictionary<string, long>(StringComparer.Ordinal);
        var zones = new Dictionary<long, DateTimeZone>();
        await bulk.ReadAsync("SELECT id, reference, time_zone FROM creditors", r =>
        {
            creditors[r.GetString(1)] = r.GetInt64(0);
            zones[r.GetInt64(0)] = DateTimeZoneProviders.Tzdb.GetZoneOrNull(r.GetString(2)) ?? DateTimeZone.Utc;
        });

        // With no stored hash (a first import) no row can skip its checks, so the chunks need not be looked up for one.
        var anyHash = await bulk.ScalarAsync("SELECT 1 FROM accounts WHERE placement_hash IS NOT NULL LIMIT 1") is not null;
        return new PlacementApplier(bulk, now, actor, creditors, zones, phones, scope) { _probe = anyHash };
    }

    public async Task<Func<int, string?[], Parsed<PlacementInput>>?> PrepareAsync(IReadOnlyList<RawRow> rows)
    {
        if (!_probe)
        {
            return null;
        }

        // The hashes stored for this chunk's accounts, so rows applied before skip the checks. Read a little ahead of
        // the writes, so an account changed by an earlier chunk of this file may look unchanged here; ApplyAsync looks again.
        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var refs = rows.Select(r => r.Values?[1]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        await _bulk.ReadWhereInAsync("SELECT reference, placement_hash FROM accounts WHERE placement_hash IS NOT NULL AND {0}", "reference", refs,
            r => stored[r.GetString(0)] = r.GetFieldValue<byte[]>(1));
        var phones = _phones;
        return (line, values) => PlacementInput.Check(line, values, phones, stored);
    }

    public async Task ApplyAsync(IReadOnlyList<PlacementInput> inputs, ImportTally tally)
    {
        var debtors = await LoadDebtorsAsync(inputs);
        var accounts = await LoadAccountsAsync(inputs);

        foreach (var input in inputs)
        {
            ImportPause.AtLine(input.Line);
            if (input.Row is null)
            {
                if (Unchanged(input, debtors, accounts))
                {
                    tally.Unchanged++;
                    continue;
                }

                // Changed since it was applied, or met earlier in this file: check it like any other row.
                var (checkedRow, rowErrors) = PlacementCsv.Parse(input.Line, input.Values, _phones);
                if (checkedRow is null)
                {
                    tally.Reject(rowErrors);
                    continue;
                }

                input.Row = checkedRow;
            }

            var row = input.Row;
            var debtor = debtors.GetValueOrDefault(DebtorKey(row.CreditorRef, row.DebtorRef));
            var account = accounts.GetValueOrDefault(row.AccountRef);
            if (Check(row, debtor, account) is { Count: > 0 } errors)
            {
                tally.Reject(errors);
                continue;
            }

            var creditorId = await CreditorAsync(row, tally);
            var (debtorState, debtorChanged) = await DebtorAsync(row, creditorId, debtor, tally);
            debtors[DebtorKey(row.CreditorRef, row.DebtorRef)] = debtorState;

            if (account is null)
            {
                accounts[row.AccountRef] = await CreateAccountAsync(input, creditorId, debtorState);
                tally.Created++;
            }
            else if (_accountsSeen.ContainsKey(account.Id))
            {
                tally.Unchanged++; // the same account twice in the file, with the same data
            }
            else
            {
                var accountChanged = await UpdateAccountAsync(row, account, debtorState.Id);
                _accountsSeen[account.Id] = row.Line;
                var hash = Stamp(input.Hash, account, debtorState, debtorState.SameFields(DebtorState.From(row)));
                if (account.PlacementHash is null || !hash.AsSpan().SequenceEqual(account.PlacementHash))
                {
                    await _bulk.ExecuteAsync(UpdateHash, account.Id, hash);
                    account.PlacementHash = hash;
                }

                if (accountChanged || debtorChanged)
                {
                    tally.Updated++;
                }
                else
                {
                    tally.Unchanged++;
                }
            }
        }

        await Chains.SaveHeadsAsync();
    }

    /// <summary>
    /// Whether a row recognised by its hash would change nothing: its account and debtor are as applying it left them
    /// (the stored stamp covers both, contacts included), and nothing earlier in this file touched them. Then the full
    /// path would find the same data, add no contact and count it unchanged, so it is counted unchanged here.
    /// </summary>
    private bool Unchanged(PlacementInput input, Dictionary<string, DebtorState> debtors, Dictionary<string, AccountState> accounts)
    {
        if (!accounts.TryGetValue(input.AccountRef, out var account) || _accountsSeen.ContainsKey(account.Id)
            || account.PlacementHash is not { } stored || !PlacementHash.SameRow(stored, input.Hash)
            || !debtors.TryGetValue(DebtorKey(input.CreditorRef, input.DebtorRef), out var debtor) || debtor.Id != account.DebtorId
            || !_creditors.TryGetValue(input.CreditorRef, out var creditorId) || creditorId != account.CreditorId || !_scope.Includes(creditorId))
        {
            return false;
        }

        // The debtor's first row in a file sets the debtor's fields: only a row that set them (stamped "fields from row") may skip then.
        var first = !_debtorsSeen.ContainsKey(debtor.Id);
        if (!stored.AsSpan().SequenceEqual(Stamp(input.Hash, account, debtor, fieldsFromRow: true))
            && (first || !stored.AsSpan().SequenceEqual(Stamp(input.Hash, account, debtor, fieldsFromRow: false))))
        {
            return false;
        }

        _accountsSeen[account.Id] = input.Line;
        if (first)
        {
            _debtorsSeen[debtor.Id] = input.Line;
        }

        return true;
    }

    /// <summary>The stored hash: the row's, then the account and debtor as the row left them.</summary>
    private static byte[] Stamp(byte[] rowHash, AccountState account, DebtorState debtor, bool fieldsFromRow) => PlacementHash.Stored(rowHash, w =>
    {
        w.Int(fieldsFromRow ? 1 : 0);
        w.Long(account.Id);
        w.Long(account.CreditorId);
        w.Long(account.DebtorId);
        w.Int((int)account.Kind);
        w.Text(account.Currency);
        w.Date(account.DueDate);
        w.Date(account.ItemizationDate);
        w.Text(account.OriginalCreditor);
        w.Date(account.LastPaymentDate);
        w.Long(account.Placed.Principal);
        w.Long(account.Placed.Interest);
        w.Long(account.Placed.Fees);
        w.Long(debtor.Id);
        w.Int((int)debtor.Kind);
        w.Text(debtor.Name);
        w.Text(debtor.AddressLine1);
        w.Text(debtor.AddressLine2);
        w.Text(debtor.City);
        w.Text(debtor.Region);
        w.Text(debtor.PostalCode);
        w.Text(debtor.Country);
        w.Text(debtor.TimeZone);
        w.Text(debtor.AddressTimeZone);
        w.Text(debtor.Language);
        w.Int(debtor.Contacts.Count);
        foreach (var (kind, value) in debtor.Contacts.OrderBy(c => c.Kind).ThenBy(c => c.Value, StringComparer.Ordinal))
        {
            w.Int((int)kind);
            w.Text(value);
        }
    });

    /// <summary>The checks that need what is already stored or what earlier rows of this file wrote.</summary>
    private List<RowError> Check(PlacementRow row, DebtorState? debtor, AccountState? account)
    {
        var errors = new List<RowError>();

        // A creditor out of the caller's scope reads as one that does not exist; only a caller acting for every
        // creditor may bring a new one in with its first row.
        var known = _creditors.TryGetValue(row.CreditorRef, out var rowCreditor);
        if ((known && !_scope.Includes(rowCreditor)) || (!known && !_scope.IsUnrestricted))
        {
            errors.Add(new RowError(row.Line, PlacementCsv.CreditorRef,
                $"There is no creditor '{row.CreditorRef}' among those you act for; an administrator acting for every creditor adds creditors (POST /api/v1/creditors, dunwell creditors add)."));
            return errors;
        }

        // The file may date a consent or opt-out given before today, never one still to come.
        foreach (var fact in row.Dated.Where(f => f.At > _postedAt))
        {
            errors.Add(new RowError(row.Line, fact.Column,
                $"{InstantPattern.ExtendedIso.Format(fact.At)} is in the future; give when the customer gave it, or leave it blank."));
        }

        if (debtor is not null && _debtorsSeen.TryGetValue(debtor.Id, out var debtorLine))
        {
            if (!string.Equals(debtor.Name, row.Name, StringComparison.Ordinal))
            {
                errors.Add(new RowError(row.Line, PlacementCsv.Name, $"debtor_ref '{row.DebtorRef}' is named '{debtor.Name}' on line {debtorLine}; one debtor_ref must be one debtor."));
            }

            if (debtor.Kind != row.DebtorKind)
            {
                errors.Add(new RowError(row.Line, PlacementCsv.DebtorKindColumn, $"debtor_ref '{row.DebtorRef}' is a {Lower(debtor.Kind)} on line {debtorLine}; one debtor_ref must be one debtor."));
            }
        }

        if (account is null)
        {
            return errors;
        }

        if (_accountsSeen.TryGetValue(account.Id, out var accountLine))
        {
            if (!SameAsStored(row, account, debtor))
            {
                errors.Add(new RowError(row.Line, PlacementCsv.AccountRef, $"account_ref '{row.AccountRef}' appears on line {accountLine} with different data."));
            }

            return errors;
        }

        if (!string.Equals(account.Currency, row.Currency, StringComparison.Ordinal))
        {
            errors.Add(new RowError(row.Line, PlacementCsv.Currency, $"Account '{row.AccountRef}' is in {account.Currency}; its currency cannot change to {row.Currency}."));
        }

        if (!_creditors.TryGetValue(row.CreditorRef, out var creditorId) || creditorId != account.CreditorId)
        {
            errors.Add(new RowError(row.Line, PlacementCsv.CreditorRef, $"Account '{row.AccountRef}' belongs to another creditor; an account cannot move between creditors."));
        }

        return errors;
    }

    private bool SameAsStored(PlacementRow row, AccountState account, DebtorState? debtor) =>
        debtor is not null && debtor.Id == account.DebtorId
        && _creditors.TryGetValue(row.CreditorRef, out var creditorId) && creditorId == account.CreditorId
        && account.Kind == row.AccountKind
        && string.Equals(account.Currency, row.Currency, StringComparison.Ordinal)
        && account.Placed == row.Amount
        && account.DueDate == row.DueDate.ToDateOnly()
        && account.ItemizationDate == row.ItemizationDate?.ToDateOnly()
        && string.Equals(account.OriginalCreditor, row.OriginalCreditor, StringComparison.Ordinal)
        && account.LastPaymentDate == row.LastPaymentDate?.ToDateOnly();

    private async Task<long> CreditorAsync(PlacementRow row, ImportTally tally)
    {
        if (_creditors.TryGetValue(row.CreditorRef, out var id))
        {
            return id;
        }

        id = await _bulk.NextIdAsync("creditors");
        var zone = row.GivenTimeZone ?? Regions.DefaultZone(row.Country);
        await _bulk.ExecuteAsync(InsertCreditor, id, row.CreditorRef, row.CreditorRef, ImportPlacements.JurisdictionPackFor(row.AccountKind, row.Country), zone, _now);
        _creditors[row.CreditorRef] = id;
        _creditorZones[id] = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? DateTimeZone.Utc;
        tally.CreditorsCreated++;
        return id;
    }

    private async Task<(DebtorState Debtor, bool Changed)> DebtorAsync(PlacementRow row, long creditorId, DebtorState? debtor, ImportTally tally)
    {
        var wanted = DebtorState.From(row);
        if (debtor is null)
        {
            wanted.Id = await _bulk.NextIdAsync("debtors");
            await _bulk.ExecuteAsync(InsertDebtor, wanted.Id, row.DebtorRef, wanted.Kind.ToString(), wanted.Name, wanted.Name.ToLowerInvariant(),
                wanted.AddressLine1, wanted.AddressLine2, wanted.City, wanted.Region, wanted.PostalCode, wanted.Country, wanted.TimeZone, wanted.Language, _now, _now,
                creditorId, wanted.AddressTimeZone);
            _debtorsSeen[wanted.Id] = row.Line;
            tally.DebtorsCreated++;
            await AddContactsAsync(row, wanted);
            await AddDatedFactsAsync(row, wanted, creditorId);
            return (wanted, false);
        }

        if (_debtorsSeen.ContainsKey(debtor.Id))
        {
            // Later rows of the same debtor add the contacts and consents they bring; the first row's name and address stand.
            await AddContactsAsync(row, debtor);
            await AddDatedFactsAsync(row, debtor, creditorId);
            return (debtor, false);
        }

        _debtorsSeen[debtor.Id] = row.Line;
        var changed = false;
        if (!debtor.SameFields(wanted))
        {
            await _bulk.ExecuteAsync(UpdateDebtor, debtor.Id, wanted.Kind.ToString(), wanted.Name, wanted.Name.ToLowerInvariant(),
                wanted.AddressLine1, wanted.AddressLine2, wanted.City, wanted.Region, wanted.PostalCode, wanted.Country, wanted.TimeZone, wanted.Language, _now,
                wanted.AddressTimeZone);
            wanted.Id = debtor.Id;
            wanted.Contacts.UnionWith(debtor.Contacts);
            wanted.CopyConsents(debtor);
            debtor = wanted;
            changed = true;
        }

        changed |= await AddContactsAsync(row, debtor);
        changed |= await AddDatedFactsAsync(row, debtor, creditorId);
        if (changed)
        {
            tally.DebtorsUpdated++;
        }

        return (debtor, changed);
    }

    private async Task<bool> AddContactsAsync(PlacementRow row, DebtorState debtor)
    {
        var added = false;
        if (row.Email is { } email)
        {
            added |= await AddContactAsync(debtor, ContactKind.Email, email, "primary", null);
        }

        if (row.Phone is { } phone)
        {
            added |= await AddContactAsync(debtor, ContactKind.Phone, phone.E164, "primary", phone.TimeZone);
        }

        if (row.Phone2 is { } phone2)
        {
            added |= await AddContactAsync(debtor, ContactKind.Phone, phone2.E164, "secondary", phone2.TimeZone);
        }

        return added;
    }

    private async Task<bool> AddContactAsync(DebtorState debtor, ContactKind kind, string value, string label, string? zone)
    {
        if (!debtor.Contacts.Add((kind, value)))
        {
            return false;
        }

        var id = await _bulk.NextIdAsync("debtor_contacts");
        await _bulk.ExecuteAsync(InsertContact, id, debtor.Id, kind.ToString(), value, label, zone, nameof(ConsentState.Unknown), _now);
        debtor.ContactConsents[(kind, value)] = new ContactConsent(id, null);
        return true;
    }

    /// <summary>
    /// The consents and opt-outs the row dates. A flag is added unless the debtor already has one of that kind given at
    /// that instant (the same file again adds nothing). Consent to email is set unless what is on file for the address
    /// was said at or after that instant (a later opt-out stands).
    /// </summary>
    private async Task<bool> AddDatedFactsAsync(PlacementRow row, DebtorState debtor, long creditorId)
    {
        var added = false;
        foreach (var fact in row.Dated)
        {
            if (fact.Flag is { } kind)
            {
                if (!debtor.DatedFlags.Add((kind, fact.At)))
                {
                    continue;
                }

                var since = fact.At.InZone(_creditorZones[creditorId]).Date.ToDateOnly();
                await _bulk.ExecuteAsync(InsertDatedFlag, await _bulk.NextIdAsync("debtor_flags"), debtor.Id, kind.ToString(), since,
                    $"From the placement file ({fact.Column}).", _actor, _now, fact.At.ToDateTimeUtc());
                added = true;
            }
            else if (row.Email is { } email && debtor.ContactConsents.TryGetValue((ContactKind.Email, email), out var consent)
                && (consent.ChangedAt is not { } changed || changed < fact.At))
            {
                await _bulk.ExecuteAsync(GrantConsent, consent.Id, nameof(ConsentState.Granted), fact.At.ToDateTimeUtc());
                debtor.ContactConsents[(ContactKind.Email, email)] = consent with { ChangedAt = fact.At };
                added = true;
            }
        }

        return added;
    }

    private async Task<AccountState> CreateAccountAsync(PlacementInput input, long creditorId, DebtorState debtor)
    {
        var row = input.Row!;
        var debtorId = debtor.Id;
        var id = await _bulk.NextIdAsync("accounts");
        var account = new AccountState
        {
            Id = id,
            CreditorId = creditorId,
            DebtorId = debtorId,
            Kind = row.AccountKind,
            Currency = row.Currency,
            DueDate = row.DueDate.ToDateOnly(),
            ItemizationDate = row.ItemizationDate?.ToDateOnly(),
            OriginalCreditor = row.OriginalCreditor,
            LastPaymentDate = row.LastPaymentDate?.ToDateOnly(),
            Placed = row.Amount,
            PlacedEntries = 1,
        };
        account.PlacementHash = Stamp(input.Hash, account, debtor, debtor.SameFields(DebtorState.From(row)));
        var opening = new LedgerEntry
        {
            Id = await _bulk.NextIdAsync("ledger_entries"),
            AccountId = id,
            Kind = LedgerEntryKind.Charge,
            Principal = row.Amount.Principal,
            Interest = row.Amount.Interest,
            Fees = row.Amount.Fees,
            Currency = row.Currency,
            ValueDate = row.OpeningDate,
            PostedAt = _postedAt,
            PostedBy = _actor,
            IdempotencyKey = ImportPlacements.OpeningKey(row.AccountRef),
            Note = "Opening balance as placed.",
        };
        Chains.StartLedger(id);
        var link = Chains.Link(opening);
        await _bulk.ExecuteAsync(InsertAccount, id, row.AccountRef, creditorId, debtorId, row.AccountKind.ToString(), row.Currency,
            account.DueDate, account.ItemizationDate, account.OriginalCreditor, account.LastPaymentDate, nameof(AccountStatus.Active), _now, _now, account.PlacementHash,
            link.Seq, link.Hash);
        await Chains.InsertLinkedAsync(opening, link);
        _accountsSeen[id] = row.Line;
        return account;
    }

    private async Task<bool> UpdateAccountAsync(PlacementRow row, AccountState account, long debtorId)
    {
        var changed = false;

        // A later payment import may have moved the last payment date on; a re-sent placement file does not move it back.
        var lastPayment = row.LastPaymentDate?.ToDateOnly() is { } given && (account.LastPaymentDate is null || account.LastPaymentDate < given)
            ? given
            : account.LastPaymentDate;
        if (account.DebtorId != debtorId || account.Kind != row.AccountKind || account.DueDate != row.DueDate.ToDateOnly()
            || account.ItemizationDate != row.ItemizationDate?.ToDateOnly() || !string.Equals(account.OriginalCreditor, row.OriginalCreditor, StringComparison.Ordinal)
            || account.LastPaymentDate != lastPayment)
        {
            account.DebtorId = debtorId;
            account.Kind = row.AccountKind;
            account.DueDate = row.DueDate.ToDateOnly();
            account.ItemizationDate = row.ItemizationDate?.ToDateOnly();
            account.OriginalCreditor = row.OriginalCreditor;
            account.LastPaymentDate = lastPayment;
            await _bulk.ExecuteAsync(UpdateAccount, account.Id, debtorId, row.AccountKind.ToString(), account.DueDate, account.ItemizationDate,
                account.OriginalCreditor, account.LastPaymentDate, _now);
            changed = true;
        }

        // The ledger is append-only: a changed placed amount is an adjustment for the difference, never an edit.
        var difference = row.Amount + -account.Placed;
        if (difference != Components.None)
        {
            await Chains.InsertAsync(new LedgerEntry
            {
                Id = await _bulk.NextIdAsync("ledger_entries"),
                AccountId = account.Id,
                Kind = LedgerEntryKind.Adjustment,
                Principal = difference.Principal,
                Interest = difference.Interest,
                Fees = difference.Fees,
                Currency = account.Currency,
                ValueDate = LocalDate.FromDateOnly(_today),
                PostedAt = _postedAt,
                PostedBy = _actor,
                IdempotencyKey = ImportPlacements.AdjustmentKey(row.AccountRef, account.PlacedEntries),
                Note = "Placement amounts changed on re-import.",
            });
            account.Placed = row.Amount;
            account.PlacedEntries++;
            changed = true;
        }

        return changed;
    }

    /// <summary>Debtor references are each creditor's own: the same reference under two creditors is two debtors.</summary>
    private static string DebtorKey(string creditorRef, string debtorRef) => string.Concat(creditorRef, "\u0000", debtorRef);

    private async Task<Dictionary<string, DebtorState>> LoadDebtorsAsync(IReadOnlyList<PlacementInput> rows)
    {
        var debtors = new Dictionary<string, DebtorState>(StringComparer.Ordinal);
        var refs = rows.Select(r => r.DebtorRef).ToHashSet(StringComparer.Ordinal);
        await _bulk.ReadWhereInAsync(
            "SELECT d.id, d.reference, d.kind, d.name, d.address_line1, d.address_line2, d.city, d.region, d.postal_code, d.country, d.time_zone, d.language, c.reference, " +
            "d.address_time_zone " +
            "FROM debtors d JOIN creditors c ON c.id = d.creditor_id WHERE {0}",
            "d.reference", refs, r => debtors[DebtorKey(r.GetString(12), r.GetString(1))] = new DebtorState
            {
                Id = r.GetInt64(0),
                Kind = Enum.Parse<DebtorKind>(r.GetString(2)),
                Name = r.GetString(3),
                AddressLine1 = NullableString(r, 4),
                AddressLine2 = NullableString(r, 5),
                City = NullableString(r, 6),
                Region = NullableString(r, 7),
                PostalCode = NullableString(r, 8),
                Country = r.GetString(9).Trim(),
                TimeZone = NullableString(r, 10),
                Language = NullableString(r, 11),
                AddressTimeZone = NullableString(r, 13),
            });

        var byId = debtors.Values.ToDictionary(d => d.Id);
        await _bulk.ReadWhereInAsync("SELECT debtor_id, kind, value, id, consent_changed_at FROM debtor_contacts WHERE {0}", "debtor_id", byId.Keys, r =>
        {
            var contact = (Enum.Parse<ContactKind>(r.GetString(1)), r.GetString(2));
            byId[r.GetInt64(0)].Contacts.Add(contact);
            byId[r.GetInt64(0)].ContactConsents[contact] = new ContactConsent(r.GetInt64(3), NullableInstant(r, 4));
        });
        await _bulk.ReadWhereInAsync("SELECT debtor_id, kind, \"at\" FROM debtor_flags WHERE {0} AND \"at\" IS NOT NULL", "debtor_id", byId.Keys,
            r => byId[r.GetInt64(0)].DatedFlags.Add((Enum.Parse<DebtorFlagKind>(r.GetString(1)), NullableInstant(r, 2)!.Value)));
        return debtors;
    }

    private async Task<Dictionary<string, AccountState>> LoadAccountsAsync(IReadOnlyList<PlacementInput> rows)
    {
        var accounts = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        var refs = rows.Select(r => r.AccountRef).ToHashSet(StringComparer.Ordinal);
        await _bulk.ReadWhereInAsync(
            "SELECT id, reference, creditor_id, debtor_id, kind, currency, due_date, itemization_date, original_creditor, last_payment_date, placement_hash FROM accounts WHERE {0}",
            "reference", refs, r => accounts[r.GetString(1)] = new AccountState
            {
                Id = r.GetInt64(0),
                CreditorId = r.GetInt64(2),
                DebtorId = r.GetInt64(3),
                Kind = Enum.Parse<AccountKind>(r.GetString(4)),
                Currency = r.GetString(5).Trim(),
                DueDate = r.GetFieldValue<DateOnly>(6),
                ItemizationDate = r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7),
                OriginalCreditor = NullableString(r, 8),
                LastPaymentDate = r.IsDBNull(9) ? null : r.GetFieldValue<DateOnly>(9),
                PlacementHash = r.IsDBNull(10) ? null : r.GetFieldValue<byte[]>(10),
            });

        // What was placed so far: the opening charge plus earlier placement adjustments (payments do not count here).
        var byId = accounts.Values.ToDictionary(a => a.Id);
        await _bulk.ReadWhereInAsync(
            "SELECT account_id, CAST(SUM(principal) AS BIGINT), CAST(SUM(interest) AS BIGINT), CAST(SUM(fees) AS BIGINT), COUNT(*) FROM ledger_entries " +
            $"WHERE {{0}} AND kind IN ('{Charge}', '{Adjustment}') AND idempotency_key LIKE 'placement:%' GROUP BY account_id",
            "account_id", byId.Keys, r =>
            {
                var account = byId[r.GetInt64(0)];
                account.Placed = new Components(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
                account.PlacedEntries = r.GetInt64(4);
            });
        return accounts;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // Instants are stored as UTC date-times; SQLite hands them back without a kind.
    private static Instant? NullableInstant(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instant.FromDateTimeUtc(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    /// <summary>A contact's id and when its consent was last said (null: never).</summary>
    private sealed record ContactConsent(long Id, Instant? ChangedAt);

    private static string Lower(DebtorKind kind) => kind == DebtorKind.Person ? "person" : "company";

    private sealed class DebtorState
    {
        public long Id { get; set; }

        public DebtorKind Kind { get; init; }

        public required string Name { get; init; }

        public string? AddressLine1 { get; init; }

        public string? AddressLine2 { get; init; }

        public string? City { get; init; }

        public string? Region { get; init; }

        public string? PostalCode { get; init; }

        public required string Country { get; init; }

        public string? TimeZone { get; init; }

        public string? Language { get; init; }

        /// <summary>The file's own time_zone: the address's zone; null when the row left it blank.</summary>
        public string? AddressTimeZone { get; init; }

        public HashSet<(ContactKind Kind, string Value)> Contacts { get; } = [];

        public Dictionary<(ContactKind Kind, string Value), ContactConsent> ContactConsents { get; } = [];

        /// <summary>The consents and opt-outs on file with the instant they were given.</summary>
        public HashSet<(DebtorFlagKind Kind, Instant At)> DatedFlags { get; } = [];

        public void CopyConsents(DebtorState from)
        {
            foreach (var (contact, consent) in from.ContactConsents)
            {
                ContactConsents[contact] = consent;
            }

            DatedFlags.UnionWith(from.DatedFlags);
        }

        public static DebtorState From(PlacementRow row) => new()
        {
            Kind = row.DebtorKind,
            Name = row.Name,
            AddressLine1 = row.AddressLine1,
            AddressLine2 = row.AddressLine2,
            City = row.City,
            Region = row.Region,
            PostalCode = row.PostalCode,
            Country = row.Country,
            TimeZone = row.DebtorTimeZone,
            Language = row.Language,
            AddressTimeZone = row.GivenTimeZone,
        };

        public bool SameFields(DebtorState other) =>
            Kind == other.Kind
            && string.Equals(Name, other.Name, StringComparison.Ordinal)
            && string.Equals(AddressLine1, other.AddressLine1, StringComparison.Ordinal)
            && string.Equals(AddressLine2, other.AddressLine2, StringComparison.Ordinal)
            && string.Equals(City, other.City, StringComparison.Ordinal)
            && string.Equals(Region, other.Region, StringComparison.Ordinal)
            && string.Equals(PostalCode, other.PostalCode, StringComparison.Ordinal)
            && string.Equals(Country, other.Country, StringComparison.Ordinal)
            && string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal)
            && string.Equals(AddressTimeZone, other.AddressTimeZone, StringComparison.Ordinal)
            && string.Equals(Language, other.Language, StringComparison.Ordinal);
    }

    private sealed class AccountState
    {
        public long Id { get; init; }

        public long CreditorId { get; init; }

        public long DebtorId { get; set; }

        public AccountKind Kind { get; set; }

        public required string Currency { get; init; }

        public DateOnly DueDate { get; set; }

        public DateOnly? ItemizationDate { get; set; }

        public string? OriginalCreditor { get; set; }

        public DateOnly? LastPaymentDate { get; set; }

        public Components Placed { get; set; }

        public long PlacedEntries { get; set; }

        public byte[]? PlacementHash { get; set; }
    }
}
