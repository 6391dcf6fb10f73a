using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Data.Chains;

/// <summary>
/// The tamper-evident chains over the append-only tables (DESIGN §4.3; docs/tamper-evidence.md). Every row carries its
/// position in its chain and its own hash: SHA-256 (truncated to 16 bytes) of its predecessor's hash followed by the
/// row's canonical content. Ledger entries and interactions chain per account (writers on different accounts never
/// wait for each other), audit events per subject. This is the one place a row's hash is computed, for the
/// SaveChanges path, the bulk import and <c>audit verify</c> alike.
/// </summary>
public static class RecordChain
{
    public const string Ledger = "ledger_entries";
    public const string Interactions = "interactions";
    public const string Audit = "audit_events";

    /// <summary>The names of the two columns every chained row carries.</summary>
    public const string SeqColumn = "ChainSeq";
    public const string HashColumn = "Hash";

    /// <summary>Where an account's heads live on its row: shadow properties and their columns, by chained table.</summary>
    public static IReadOnlyDictionary<string, AccountHead> AccountHeads { get; } = new Dictionary<string, AccountHead>(StringComparer.Ordinal)
    {
        [Ledger] = new("LedgerChainLength", "LedgerChainHash", "ledger_chain_length", "ledger_chain_hash"),
        [Interactions] = new("InteractionChainLength", "InteractionChainHash", "interaction_chain_length", "interaction_chain_hash"),
    };

    /// <summary>
    /// A link is SHA-256 truncated to its first 16 bytes (128 bits). Finding another row with the same link is a second
    /// preimage, 2^128 work; anyone able to rewrite rows can recompute links with the public algorithm far more cheaply,
    /// so the full 32 bytes would add no protection, only 16 bytes on every chained row and head (bench/RESULTS.md).
    /// </summary>
    public const int HashLength = 16;

    /// <summary>The predecessor hash of a chain's first row.</summary>
    public static ReadOnlyMemory<byte> Genesis { get; } = new byte[HashLength];

    private const string Version = "dunwell-chain/1";

    /// <summary>
    /// The encoding of an interaction about several accounts: version 1 plus the line <c>also_about</c>. An interaction
    /// about one account keeps version 1, so every row written before the column existed still verifies, and setting or
    /// clearing the column changes the encoding (and the hash) either way.
    /// </summary>
    private const string VersionWithAccounts = "dunwell-chain/2";

    private static readonly InstantPattern Micros = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");

    // Account ids are written with at least 12 digits so that heads sort in id order: an import creating accounts in id
    // order then appends to the end of chain_heads' index instead of writing all over it.
    public static string LedgerChain(long accountId) => string.Create(CultureInfo.InvariantCulture, $"{Ledger}:{accountId:D12}");

    public static string InteractionChain(long accountId) => string.Create(CultureInfo.InvariantCulture, $"{Interactions}:{accountId:D12}");

    public static string AuditChain(string subject) => $"{Audit}:{subject}";

    /// <summary>The account whose row holds a ledger or interaction chain's head; null for an audit chain (its head is in chain_heads).</summary>
    public static long? AccountOf(IAppendOnly row) => row switch
    {
        LedgerEntry e => e.AccountId,
        Interaction i => i.AccountId,
        _ => null,
    };

    /// <summary>The table a chained row belongs to.</summary>
    public static string TableOf(IAppendOnly row) => row switch
    {
        LedgerEntry => Ledger,
        Interaction => Interactions,
        AuditEvent => Audit,
        _ => throw new ArgumentException($"{row.GetType().Name} is not chained.", nameof(row)),
    };

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

    /// <summary>The first <see cref="HashLength"/> bytes of SHA-256 of the predecessor's hash followed by the row's canonical content.</summary>
    public static byte[] Link(ReadOnlySpan<byte> previous, IAppendOnly row, long seq)
    {
        var writer = CanonicalWriter.Rent();
        try
        {
            writer.Bytes(previous);
            Write(writer, row, seq);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(writer.Written, digest);
            return digest[..HashLength].ToArray();
        }
        finally
        {
            writer.Return();
        }
    }

    /// <summary>
    /// The canonical content: a version line, the table, then one line per column in a fixed order, each
    /// <c>name:byte-length:value</c> (UTF-8 byte length) or <c>name:-</c> for null. Integers in invariant decimal, dates
    /// <c>yyyy-MM-dd</c>, instants <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, enums by name, booleans true/false.
    /// </summary>
    public static string Canonical(IAppendOnly row, long seq)
    {
        var writer = CanonicalWriter.Rent();
        try
        {
            Write(writer, row, seq);
            return Encoding.UTF8.GetString(writer.Written);
        }
        finally
        {
            writer.Return();
        }
    }

    // Link and Canonical share this one writer, so the hash is always of exactly the text documented.
    private static void Write(CanonicalWriter text, IAppendOnly row, long seq)
    {
        text.Header(row is Interaction { AlsoAbout: not null } ? VersionWithAccounts : Version, TableOf(row));
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
                if (i.AlsoAbout is not null)
                {
                    text.Add("also_about", i.AlsoAbout);
                }

                break;
            case AuditEvent a:
                text.Add("id", a.Id).Add("chain_seq", seq).Add("at", a.At).Add("actor", a.Actor).Add("action", a.Action)
                    .Add("subject", a.Subject).Add("detail", a.Detail);
                break;
        }
    }

    /// <summary>Formats an instant as the chains do (to the microsecond, UTC); the pattern is the definition, the fast path must agree.</summary>
    public static string FormatInstant(Instant instant) => Micros.Format(Stored(instant));

    /// <summary>
    /// Writes the canonical text straight into UTF-8 bytes in a buffer reused per thread: an import hashes a row per
    /// account, and building strings for every column cost more than the SHA-256 itself.
    /// </summary>
    private sealed class CanonicalWriter
    {
        [ThreadStatic]
        private static CanonicalWriter? _cached;

        private static readonly byte[] VersionLine = Encoding.UTF8.GetBytes(Version + "\n");

        private static readonly byte[] VersionWithAccountsLine = Encoding.UTF8.GetBytes(VersionWithAccounts + "\n");

        private byte[] _buffer = new byte[1024];
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public static CanonicalWriter Rent()
        {
            var writer = _cached ?? new CanonicalWriter();
            _cached = null;
            writer._length = 0;
            return writer;
        }

        // A very long row (rare) would otherwise keep its big buffer on the thread for good.
        public void Return() => _cached = _buffer.Length <= 64 * 1024 ? this : null;

        public void Header(string version, string table)
        {
            Bytes(string.Equals(version, VersionWithAccounts, StringComparison.Ordinal) ? VersionWithAccountsLine : VersionLine);
            Text(table);
            Byte((byte)'\n');
        }

        public CanonicalWriter Add(string name, string? value)
        {
            if (value is null)
            {
                return Null(name);
            }

            Text(name);
            Byte((byte)':');
            Digits(Encoding.UTF8.GetByteCount(value));
            Byte((byte)':');
            Text(value);
            Byte((byte)'\n');
            return this;
        }

        public CanonicalWriter Add(string name, long? value)
        {
            if (value is not { } number)
            {
                return Null(name);
            }

            Span<byte> digits = stackalloc byte[20];
            number.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            return Value(name, digits[..written]);
        }

        public CanonicalWriter Add(string name, LocalDate value)
        {
            if (value.Year is < 1 or > 9999)
            {
                return Add(name, LocalDatePattern.Iso.Format(value));
            }

            Span<byte> text = stackalloc byte[10];
            Pad(text, value.Year, 4);
            text[4] = (byte)'-';
            Pad(text[5..], value.Month, 2);
            text[7] = (byte)'-';
            Pad(text[8..], value.Day, 2);
            return Value(name, text);
        }

        public CanonicalWriter Add(string name, Instant value)
        {
            var utc = Stored(value).InUtc();
            if (utc.Year is < 1 or > 9999)
            {
                return Add(name, FormatInstant(value));
            }

            Span<byte> text = stackalloc byte[27];
            Pad(text, utc.Year, 4);
            text[4] = (byte)'-';
            Pad(text[5..], utc.Month, 2);
            text[7] = (byte)'-';
            Pad(text[8..], utc.Day, 2);
            text[10] = (byte)'T';
            Pad(text[11..], utc.Hour, 2);
            text[13] = (byte)':';
            Pad(text[14..], utc.Minute, 2);
            text[16] = (byte)':';
            Pad(text[17..], utc.Second, 2);
            text[19] = (byte)'.';
            Pad(text[20..], (int)(utc.TickOfSecond / 10), 6);
            text[26] = (byte)'Z';
            return Value(name, text);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Free(bytes.Length));
            _length += bytes.Length;
        }

        private CanonicalWriter Value(string name, ReadOnlySpan<byte> value)
        {
            Text(name);
            Byte((byte)':');
            Digits(value.Length);
            Byte((byte)':');
            Bytes(value);
            Byte((byte)'\n');
            return this;
        }

        private CanonicalWriter Null(string name)
        {
            Text(name);
            Bytes(":-\n"u8);
            return this;
        }

        private void Text(string text) => _length += Encoding.UTF8.GetBytes(text, Free(Encoding.UTF8.GetMaxByteCount(text.Length)));

        private void Digits(int number)
        {
            number.TryFormat(Free(11), out var written, default, CultureInfo.InvariantCulture);
            _length += written;
        }

        private void Byte(byte value)
        {
            Free(1)[0] = value;
            _length++;
        }

        private static void Pad(Span<byte> into, int number, int width)
        {
            for (var i = width - 1; i >= 0; i--)
            {
                into[i] = (byte)('0' + (number % 10));
                number /= 10;
            }
        }

        private Span<byte> Free(int atLeast)
        {
            if (_buffer.Length - _length < atLeast)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + atLeast));
            }

            return _buffer.AsSpan(_length);
        }
    }
}

/// <summary>The columns of an account row that hold the head of one of its chains.</summary>
public sealed record AccountHead(string LengthProperty, string HashProperty, string LengthColumn, string HashColumn);
