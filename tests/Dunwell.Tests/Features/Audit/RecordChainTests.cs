using System.Security.Cryptography;
using System.Text;
using Dunwell.Data;
using Dunwell.Data.Chains;
using NodaTime;

namespace Dunwell.Tests.Features.Audit;

/// <summary>The canonical encoding is a published format (docs/tamper-evidence.md): anyone can recompute a hash from it.</summary>
public sealed class RecordChainTests
{
    [Fact]
    public void An_audit_event_encodes_as_documented_and_hashes_as_sha256_of_predecessor_then_content()
    {
        var audit = new AuditEvent { Id = 1, At = Instant.FromUtc(2026, 3, 2, 15, 0) + Duration.FromTicks(3), Actor = "system:cli", Action = "apikey.create", Subject = "apikey:crm-sync" };

        var text = RecordChain.Canonical(audit, 1);

        Assert.Equal(
            "dunwell-chain/1\naudit_events\nid:1:1\nchain_seq:1:1\nat:27:2026-03-02T15:00:00.000000Z\nactor:10:system:cli\naction:13:apikey.create\n" +
            "subject:15:apikey:crm-sync\ndetail:-\n",
            text);
        Assert.Equal(SHA256.HashData([.. new byte[32], .. Encoding.UTF8.GetBytes(text)]), RecordChain.Link(new byte[32], audit, 1));
    }

    [Fact]
    public void Lengths_are_utf8_bytes_so_a_value_cannot_spill_into_the_next_column()
    {
        var plain = new AuditEvent { Id = 2, Actor = "a", Action = "b", Subject = "c", Detail = "é\ndetail:-" };
        var split = new AuditEvent { Id = 2, Actor = "a", Action = "b", Subject = "c", Detail = "é" };

        Assert.Contains("detail:11:é\ndetail:-\n", RecordChain.Canonical(plain, 1), StringComparison.Ordinal);
        Assert.NotEqual(RecordChain.Link(new byte[32], plain, 1), RecordChain.Link(new byte[32], split, 1));
    }
}
