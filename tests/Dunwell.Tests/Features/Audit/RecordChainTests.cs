using System.Security.Cryptography;
using System.Text;
using Dunwell.Data;
using Dunwell.Data.Chains;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Tests.Features.Audit;

/// <summary>The canonical encoding is a published format (docs/tamper-evidence.md): anyone can recompute a hash from it.</summary>
public sealed class RecordChainTests
{
    [Fact]
    public void An_audit_event_encodes_as_documented_and_hashes_as_sha256_of_predecessor_then_content_truncated_to_16_bytes()
    {
        var audit = new AuditEvent { Id = 1, At = Instant.FromUtc(2026, 3, 2, 15, 0) + Duration.FromTicks(3), Actor = "system:cli", Action = "apikey.create", Subject = "apikey:crm-sync" };

        var text = RecordChain.Canonical(audit, 1);

        Assert.Equal(
            "dunwell-chain/1\naudit_events\nid:1:1\nchain_seq:1:1\nat:27:2026-03-02T15:00:00.000000Z\nactor:10:system:cli\naction:13:apikey.create\n" +
            "subject:15:apikey:crm-sync\ndetail:-\n",
            text);
        Assert.Equal(SHA256.HashData([.. new byte[16], .. Encoding.UTF8.GetBytes(text)])[..16], RecordChain.Link(new byte[16], audit, 1));
    }

    [Fact]
    public void An_interaction_about_several_accounts_is_encoded_under_version_2_with_the_accounts_and_one_about_one_account_as_before()
    {
        Interaction Note(string? alsoAbout) => new()
        {
            Id = 7,
            AccountId = 3,
            DebtorId = 2,
            Channel = InteractionChannel.Call,
            OccurredAt = Instant.FromUtc(2026, 3, 2, 15, 0),
            RecordedAt = Instant.FromUtc(2026, 3, 2, 15, 1),
            Author = "user:a",
            Outcome = OutcomeCode.RightPartyContact,
            Conversation = true,
            AlsoAbout = alsoAbout,
        };

        var several = RecordChain.Canonical(Note("4,9"), 1);
        var one = RecordChain.Canonical(Note(null), 1);

        Assert.StartsWith("dunwell-chain/2\ninteractions\n", several, StringComparison.Ordinal);
        Assert.EndsWith("compliance_exception:-\nalso_about:3:4,9\n", several, StringComparison.Ordinal);
        Assert.StartsWith("dunwell-chain/1\ninteractions\n", one, StringComparison.Ordinal);
        Assert.EndsWith("compliance_exception:-\n", one, StringComparison.Ordinal);
    }

    [Fact]
    public void Lengths_are_utf8_bytes_so_a_value_cannot_spill_into_the_next_column()
    {
        var plain = new AuditEvent { Id = 2, Actor = "a", Action = "b", Subject = "c", Detail = "é\ndetail:-" };
        var split = new AuditEvent { Id = 2, Actor = "a", Action = "b", Subject = "c", Detail = "é" };

        Assert.Contains("detail:11:é\ndetail:-\n", RecordChain.Canonical(plain, 1), StringComparison.Ordinal);
        Assert.NotEqual(RecordChain.Link(new byte[16], plain, 1), RecordChain.Link(new byte[16], split, 1));
    }

    /// <summary>Dates and instants are written without NodaTime's patterns for speed; the patterns stay the definition.</summary>
    [Property(MaxTest = 2000)]
    public bool Dates_and_instants_are_written_exactly_as_the_documented_patterns_write_them(long ticks, int days)
    {
        // Anywhere from year 1 to 9999, to the tick (the chain keeps microseconds).
        var span = Instant.FromUtc(9999, 12, 31, 23, 59).ToUnixTimeTicks() - Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeTicks();
        var at = Instant.FromUnixTimeTicks(Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeTicks() + (long)(unchecked((ulong)ticks) % (ulong)span));
        var date = new LocalDate(1, 1, 1).PlusDays((int)(unchecked((uint)days) % 3_652_058u));
        var entry = new LedgerEntry { Id = 1, AccountId = 1, Kind = LedgerEntryKind.Payment, Currency = "USD", ValueDate = date, PostedAt = at, PostedBy = "a" };

        var text = RecordChain.Canonical(entry, 1);

        return text.Contains($"\nvalue_date:10:{LocalDatePattern.Iso.Format(date)}\n", StringComparison.Ordinal)
            && text.Contains($"\nposted_at:27:{RecordChain.FormatInstant(at)}\n", StringComparison.Ordinal)
            && RecordChain.Link(new byte[16], entry, 1).AsSpan().SequenceEqual(SHA256.HashData([.. new byte[16], .. Encoding.UTF8.GetBytes(text)]).AsSpan(0, 16));
    }
}
