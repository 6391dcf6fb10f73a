using System.Globalization;
using Dunwell.Domain.Compliance;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>Invariants over random debtors, histories, packs and firm policies (see <see cref="RandomCase"/>).</summary>
public sealed class ComplianceProperties
{
    [Property(MaxTest = 1000)]
    public void The_next_allowed_instant_is_itself_allowed_and_nothing_before_it_is(int seed)
    {
        var (request, pack, firm) = RandomCase.From(seed);

        var decision = ComplianceEngine.Decide(request, pack, firm);

        if (decision.Allowed)
        {
            Assert.Empty(decision.Reasons);
            Assert.Null(decision.NextAllowedAt);
            return;
        }

        Assert.NotEmpty(decision.Reasons);
        if (decision.NextAllowedAt is not { } next)
        {
            Assert.False(string.IsNullOrWhiteSpace(decision.NoNextAllowedBecause));
            return;
        }

        Assert.True(next > request.At);
        Assert.True(ComplianceEngine.IsAllowed(request with { At = next }, pack, firm), $"{next} was given as the next allowed instant but is refused.");
        Assert.False(ComplianceEngine.IsAllowed(request with { At = next - Duration.FromSeconds(1) }, pack, firm), $"{next - Duration.FromSeconds(1)} is allowed, before {next}.");

        // Walk the gap minute by minute (or in at most 600 even steps when it is long): every instant in it is refused.
        var span = next - request.At;
        var step = Duration.Max(Duration.FromMinutes(1), span / 600);
        for (var at = request.At + step; at < next; at += step)
        {
            Assert.False(ComplianceEngine.IsAllowed(request with { At = at }, pack, firm), $"{at} is allowed, before the next allowed instant {next}.");
        }
    }

    [Property(MaxTest = 1000)]
    public void Adding_contact_history_never_turns_a_refusal_into_an_allowance(int seed, int moreSeed)
    {
        var (request, pack, firm) = RandomCase.From(seed);
        var before = ComplianceEngine.Decide(request, pack, firm);
        var random = new Random(moreSeed);
        var more = RandomCase.Events(random, request.At, [.. request.Accounts.Select(a => a.Id)], request.Debtor.Contacts, random.Next(1, 15));

        var after = ComplianceEngine.Decide(request with { History = [.. request.History, .. more] }, pack, firm);

        Assert.True(before.Allowed || !after.Allowed);
        Assert.Superset(before.Reasons.Select(r => r.RuleId).ToHashSet(), after.Reasons.Select(r => r.RuleId).ToHashSet());
        if (before.NextAllowedAt is { } was && after.NextAllowedAt is { } now)
        {
            Assert.True(now >= was, $"More history moved the next allowed instant earlier, from {was} to {now}.");
        }
    }

    [Property(MaxTest = 1000)]
    public void A_firm_policy_only_tightens(int seed, int firmSeed)
    {
        var (request, pack, _) = RandomCase.From(seed);
        var firm = RandomCase.RandomFirm(new Random(firmSeed), pack);

        var packOnly = ComplianceEngine.Decide(request, pack);
        var withFirm = ComplianceEngine.Decide(request, pack, firm);

        Assert.True(!withFirm.Allowed || packOnly.Allowed);
        Assert.Superset(packOnly.Reasons.ToHashSet(), withFirm.Reasons.ToHashSet());
        if (packOnly.NextAllowedAt is { } alone && withFirm.NextAllowedAt is { } both)
        {
            Assert.True(both >= alone);
        }
    }

    private static readonly string[] Cultures = ["ar-SA", "th-TH", "fa-IR", "tr-TR", "de-DE", "ja-JP", "hi-IN", "he-IL"];

    [Property(MaxTest = 100)]
    public void Decisions_do_not_depend_on_the_current_culture(int seed)
    {
        var (request, pack, firm) = RandomCase.From(seed);
        var invariant = WithCulture(CultureInfo.InvariantCulture, () => Describe(ComplianceEngine.Decide(request, pack, firm)));

        foreach (var culture in Cultures)
        {
            Assert.Equal(invariant, WithCulture(CultureInfo.GetCultureInfo(culture), () => Describe(ComplianceEngine.Decide(request, pack, firm))));
        }
    }

    [Fact]
    public void Decisions_do_not_depend_on_the_servers_time_zone()
    {
        var seeds = Enumerable.Range(0, 150).ToArray();
        var baseline = seeds.Select(s => Describe(Decide(s))).ToList();
        var original = Environment.GetEnvironmentVariable("TZ");
        try
        {
            foreach (var zone in new[] { "Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu" })
            {
                Environment.SetEnvironmentVariable("TZ", zone);
                TimeZoneInfo.ClearCachedData();
                Assert.Equal(baseline, seeds.Select(s => Describe(Decide(s))).ToList());
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", original);
            TimeZoneInfo.ClearCachedData();
        }

        static ContactDecision Decide(int seed)
        {
            var (request, pack, firm) = RandomCase.From(seed);
            return ComplianceEngine.Decide(request, pack, firm);
        }
    }

    private static string Describe(ContactDecision d) =>
        string.Join("\n", [
            d.Allowed ? "allowed" : "refused",
            d.NextAllowedAt?.ToString("g", CultureInfo.InvariantCulture) ?? "-",
            d.NoNextAllowedBecause ?? "-",
            .. d.Reasons.Select(r => $"{r.RuleId}|{r.Citation}|{r.Message}"),
            .. d.Obligations.Select(o => $"{o.RuleId}|{o.Kind}|{o.Message}"),
            string.Join(",", d.Zones),
        ]);

    private static T WithCulture<T>(CultureInfo culture, Func<T> action)
    {
        var (current, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = current;
            CultureInfo.CurrentUICulture = ui;
        }
    }
}
