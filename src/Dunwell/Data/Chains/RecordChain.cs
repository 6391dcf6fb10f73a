using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Data.Chains;

/// <summary>
/// The tamper-evident chains over the append-only tables (DESIGN §4.3; docs/tamper-evidence.md). Every row carries its
/// position in its chain, the hash of its predecessor, and its own hash: SHA-256 of the predecessor's hash followed by
/// the row's canonical content. Ledger entries and interactions chain per account (writers on different accounts never
/// wait for each other), audit events per subject. This is the one place a row's hash is computed, for the
/// SaveChanges path, the bulk import and <c>audit verify</c> alike.
/// </summary>
public static class RecordChain
{
    public const string Ledger = "ledger_entries";
    public const string Interactions = "interactions";
    public const string Audit = "audit_events";

    /// <summary>The names of the three columns every chained row carries.</summary>
    public const string SeqColumn = "ChainSeq";
    public const string PrevColumn = "PrevHash";
    public const string HashColumn = "Hash";

    public const int HashLength = 32;

    /// <summary>The predecessor hash of a chain's first row.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[HashLength];

    private const string Version = "dunwell-chain/1";

    private static readonly InstantPattern Micros = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");

    // Account ids are written with at least 12 digits so that heads sort in id order: an import creating accounts in id
    // order then appends to the end of chain_heads' index instead of writing all over it.
    public static string LedgerChain(long accountId) => string.Create(CultureInfo.InvariantCulture, $"{Ledger}:{accountId:D12}");

    public static string InteractionChain(long accountId) => string.Create(CultureInfo.InvariantCulture, $"{Interactions}:{accountId:D12}");

    public static string AuditChain(string subject) => $"{Audit}:{subject}";

    /// <summary>Whether a row is chained: ledger entries, interactions and audit events (payment references are not: each
    /// is written with its ledger entry, which is).</summary>
    public static bool IsChained(IAppendOnly row) => row is LedgerEntry or Interaction or AuditEvent;

    /// <summary>The chain a row belongs to.</summary>
    public static string ChainOf(IAppendOnly row) => row switch
    {
        LedgerEntry e => LedgerChain(e.AccountId),
        Interaction i => InteractionChain(i.AccountId),
        AuditEvent a => AuditChain(a.Subject),
        _ => throw new ArgumentException($"{row.GetType().Name} is not chained.", nameof(row)),
    };

    /// <summary>
    /// Instants are stored to the microsecond (PostgreSQL's precision): every writer rounds down to it before storing
    /// and hashing, so what is hashed is exactly what either database gives back.
    /// </summary>
    public static Instant Stored(Instant instant)
    {
        var ticks = instant.ToUnixTimeTicks();
        return Instant.FromUnixTimeTicks(ticks - (((ticks % 10) + 10) % 10));
    }

    public static DateTime Stored(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    /// <summary>SHA-256 of the predecessor's hash followed by the row's canonical content.</summary>
    public static byte[] Link(ReadOnlySpan<byte> previous, IAppendOnly row, long seq)
    {
        var content = Encoding.UTF8.GetBytes(Canonical(row, seq));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(previous);
        sha.AppendData(content);
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// The canonical content: a version line, the table, then one line per column in a fixed order, each
    /// <c>name:byte-length:value</c> (UTF-8 byte length) or <c>name:-</c> for null. Integers in invariant decimal, dates
    /// <c>yyyy-MM-dd</c>, instants <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, enums by name, booleans true/false.
    /// </summary>
    public static string Canonical(IAppendOnly row, long seq)
    {
        var text = new Line(row switch
        {
            LedgerEntry => Ledger,
            Interaction => Interactions,
            AuditEvent => Audit,
            _ => throw new ArgumentException($"{row.GetType().Name} is not chained.", nameof(row)),
        });
        switch (row)
        {
            case LedgerEntry e:
                text.Add("id", e.Id).Add("account_id", e.AccountId).Add("chain_seq", seq).Add("kind", e.Kind.ToString())
                    .Add("principal", e.Principal).Add("interest", e.Interest).Add("fees", e.Fees).Add("currency", e.Currency)
                    .Add("value_date", e.ValueDate).Add("posted_at", e.PostedAt).Add("posted_by", e.PostedBy)
                    .Add("idempotency_key", e.IdempotencyKey).Add("method", e.Method).Add("reference", e.Reference)
                    .Add("reverses_entry_id", e.ReversesEntryId).Add("note", e.Note);
                break;
            case Interaction i:
                text.Add("id", i.Id).Add("account_id", i.AccountId).Add("debtor_id", i.DebtorId).Add("chain_seq", seq)
                    .Add("channel", i.Channel.ToString()).Add("direction", i.Direction.ToString()).Add("occurred_at", i.OccurredAt)
                    .Add("recorded_at", i.RecordedAt).Add("author", i.Author).Add("outcome", i.Outcome.ToString())
                    .Add("conversation", i.Conversation ? "true" : "false").Add("notes", i.Notes)
                    .Add("corrects_interaction_id", i.CorrectsInteractionId).Add("contact_id", i.ContactId)
                    .Add("compliance_exception", i.ComplianceException);
                break;
            case AuditEvent a:
                text.Add("id", a.Id).Add("chain_seq", seq).Add("at", a.At).Add("actor", a.Actor).Add("action", a.Action)
                    .Add("subject", a.Subject).Add("detail", a.Detail);
                break;
        }

        return text.ToString();
    }

    private sealed class Line
    {
        private readonly StringBuilder _text = new(256);

        public Line(string table) => _text.Append(Version).Append('\n').Append(table).Append('\n');

        public Line Add(string name, string? value)
        {
            _text.Append(name).Append(':');
            if (value is null)
            {
                _text.Append("-\n");
            }
            else
            {
                _text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
            }

            return this;
        }

        public Line Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

        public Line Add(string name, LocalDate value) => Add(name, LocalDatePattern.Iso.Format(value));

        public Line Add(string name, Instant value) => Add(name, Micros.Format(Stored(value)));

        public override string ToString() => _text.ToString();
    }
}
