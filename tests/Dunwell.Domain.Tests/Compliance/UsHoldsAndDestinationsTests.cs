using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class UsHoldsAndDestinationsTests
{
    private static readonly Instant Monday10 = At(NewYork, 2026, 3, 16, 10, 0);
    private static readonly Currency Usd = Currency.Of("USD");

    private static DebtorFacts With(DebtorFlag flag) => Consumer() with { Flags = [flag] };

    [Fact]
    public void After_a_cease_request_collection_is_refused_for_good()
    {
        var debtor = With(new DebtorFlag(DebtorFlagKind.CeaseCommunication, At(NewYork, 2026, 3, 2, 9, 0)));

        var decision = Us(Call(Monday10, debtor));

        Assert.Equal(["us.reg-f.cease-communication"], decision.Rules());
        Assert.Equal("12 CFR 1006.6(c)", decision.Reasons[0].Citation);
        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("permanent", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ContactPurpose.CeaseTerminationNotice)]
    [InlineData(ContactPurpose.CeaseRemedyNotice)]
    [InlineData(ContactPurpose.CeaseIntendedRemedyNotice)]
    public void After_a_cease_request_the_notices_the_rule_permits_may_still_be_sent(ContactPurpose purpose)
    {
        var debtor = With(new DebtorFlag(DebtorFlagKind.CeaseCommunication, At(NewYork, 2026, 3, 2, 9, 0)));

        Assert.True(Us(Send(ContactChannel.Letter, Monday10, debtor, purpose)).Allowed);
        Assert.False(Us(Send(ContactChannel.Letter, Monday10, debtor, ContactPurpose.ResponseToConsumerRequest)).Allowed);
    }

    [Fact]
    public void A_cease_request_received_after_the_contact_does_not_reach_back()
    {
        var debtor = With(new DebtorFlag(DebtorFlagKind.CeaseCommunication, At(NewYork, 2026, 3, 16, 12, 0)));

        Assert.True(Us(Call(Monday10, debtor)).Allowed);
    }

    [Fact]
    public void A_cease_request_limited_to_one_debt_leaves_the_others()
    {
        var debtor = With(new DebtorFlag(DebtorFlagKind.CeaseCommunication, At(NewYork, 2026, 3, 2, 9, 0)) { Accounts = ["A-1"] });

        Assert.True(Us(Call(Monday10, debtor) with { Accounts = [Debt("A-2")] }).Allowed);
    }

    [Fact]
    public void A_represented_consumer_is_not_contacted_until_the_attorney_consents()
    {
        var attorneyConsented = At(NewYork, 2026, 3, 20, 16, 0);
        var debtor = With(new DebtorFlag(DebtorFlagKind.RepresentedByAttorney, At(NewYork, 2026, 3, 2, 9, 0), attorneyConsented));

        var decision = Us(Call(Monday10, debtor));

        Assert.Equal(["us.reg-f.attorney"], decision.Rules());
        Assert.Equal(attorneyConsented, decision.NextAllowedAt);
        Assert.Null(Us(Call(Monday10, With(new DebtorFlag(DebtorFlagKind.RepresentedByAttorney, At(NewYork, 2026, 3, 2, 9, 0))))).NextAllowedAt);
    }

    [Fact]
    public void A_workplace_number_whose_employer_prohibits_calls_needs_the_consumers_consent()
    {
        var work = Phone("mobile", NewYorkPhone) with { Workplace = true, EmployerProhibits = true };

        Assert.Equal(["us.reg-f.place-of-employment"], Us(Call(Monday10, Person(work))).Rules());
        Assert.True(Us(Call(Monday10, Person(work with { Consent = new ContactConsent(At(NewYork, 2026, 3, 1, 9, 0)) }))).Allowed);
        Assert.True(Us(Call(Monday10, Person(work with { EmployerProhibits = false }))).Allowed);
    }

    [Fact]
    public void An_employer_provided_email_is_used_only_with_consent()
    {
        var workEmail = Email("email", "pat@employer.example") with { Workplace = true };

        var phone = Phone("mobile", NewYorkPhone);

        Assert.Equal(["us.reg-f.employer-email"], Us(Send(ContactChannel.Email, Monday10, Person(phone, workEmail))).Rules());
        var consented = workEmail with { Consent = new ContactConsent(At(NewYork, 2026, 3, 1, 9, 0), Expires: At(NewYork, 2026, 3, 31, 0, 0)) };
        Assert.True(Us(Send(ContactChannel.Email, Monday10, Person(phone, consented))).Allowed);
        Assert.False(Us(Send(ContactChannel.Email, At(NewYork, 2026, 4, 1, 10, 0), Person(phone, consented))).Allowed);
    }

    [Fact]
    public void A_place_the_consumer_called_inconvenient_is_refused()
    {
        Assert.Equal(["us.reg-f.inconvenient-place"], Us(Call(Monday10, Person(Phone("mobile", NewYorkPhone) with { InconvenientPlace = true }))).Rules());
    }

    [Fact]
    public void An_opted_out_address_is_refused_but_its_opt_out_confirmation_may_go()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone), Email("email", "pat@example.com") with { OptedOutAt = At(NewYork, 2026, 3, 10, 9, 0) });

        var decision = Us(Send(ContactChannel.Email, Monday10, debtor));

        Assert.Equal(["us.reg-f.address-opt-out"], decision.Rules());
        Assert.Null(decision.NextAllowedAt);
        Assert.True(Us(Send(ContactChannel.Email, Monday10, debtor, ContactPurpose.OptOutConfirmation)).Allowed);
        Assert.True(Us(Call(Monday10, debtor)).Allowed);
    }

    [Fact]
    public void A_medium_the_consumer_asked_not_to_be_used_is_refused_and_others_stay_open()
    {
        var debtor = Consumer() with { MediumOptOuts = [new MediumOptOut(ContactChannel.Call, At(NewYork, 2026, 3, 10, 9, 0))] };

        Assert.Equal(["us.reg-f.medium-opt-out"], Us(Call(Monday10, debtor)).Rules());
        Assert.True(Us(Send(ContactChannel.Sms, Monday10, debtor)).Allowed);
    }

    [Fact]
    public void Every_email_and_text_must_carry_an_opt_out_statement()
    {
        var email = Us(Send(ContactChannel.Email, Monday10));
        var letter = Us(Send(ContactChannel.Letter, Monday10));

        Assert.Contains(email.Obligations, o => o.RuleId == "us.reg-f.electronic-opt-out-notice" && o.Kind == ObligationKind.Requirement);
        Assert.DoesNotContain(letter.Obligations, o => o.RuleId == "us.reg-f.electronic-opt-out-notice");
    }

    private static AccountFacts NoticedOn(LocalDate sent, params Dispute[] disputes) =>
        Debt() with { ValidationNoticeSentAt = At(NewYork, sent.Year, sent.Month, sent.Day, 12, 0), Disputes = disputes };

    [Fact]
    public void A_written_dispute_inside_the_validation_period_holds_collection_until_verification_is_sent()
    {
        // Notice mailed Monday 2 March 2026: validation period ends 8 April.
        var dispute = new Dispute(At(NewYork, 2026, 4, 8, 15, 0), Written: true) { VerifiedAt = At(NewYork, 2026, 4, 20, 11, 0) };
        var request = Call(At(NewYork, 2026, 4, 13, 10, 0)) with { Accounts = [NoticedOn(new LocalDate(2026, 3, 2), dispute)] };

        var decision = Us(request);

        Assert.Equal(["us.reg-f.dispute-hold"], decision.Rules());
        Assert.Contains("validation period ending 2026-04-08", decision.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(At(NewYork, 2026, 4, 20, 11, 0), decision.NextAllowedAt);
        Assert.True(Us(request with { Channel = ContactChannel.Letter, DestinationId = null, Purpose = ContactPurpose.DisputeVerification }).Allowed);
    }

    [Fact]
    public void A_dispute_awaiting_verification_with_no_date_gives_no_next_time()
    {
        var dispute = new Dispute(At(NewYork, 2026, 3, 20, 15, 0), Written: true);
        var request = Call(At(NewYork, 2026, 4, 13, 10, 0)) with { Accounts = [NoticedOn(new LocalDate(2026, 3, 2), dispute)] };

        var decision = Us(request);

        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("verification", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_written_dispute_after_the_validation_period_does_not_hold_collection_but_is_reported_as_disputed()
    {
        var dispute = new Dispute(At(NewYork, 2026, 4, 9, 9, 0), Written: true);
        var decision = Us(Call(At(NewYork, 2026, 4, 13, 10, 0)) with { Accounts = [NoticedOn(new LocalDate(2026, 3, 2), dispute)] });

        Assert.True(decision.Allowed);
        Assert.Contains(decision.Obligations, o => o.RuleId == "us.reg-f.disputed-debt");
    }

    [Fact]
    public void An_oral_dispute_inside_the_period_does_not_hold_collection()
    {
        var dispute = new Dispute(At(NewYork, 2026, 3, 20, 15, 0), Written: false);

        Assert.True(Us(Call(At(NewYork, 2026, 4, 13, 10, 0)) with { Accounts = [NoticedOn(new LocalDate(2026, 3, 2), dispute)] }).Allowed);
    }

    [Fact]
    public void A_dispute_of_part_of_the_debt_limits_the_demand_to_the_rest()
    {
        var dispute = new Dispute(At(NewYork, 2026, 3, 20, 15, 0), Written: true) { Amount = new Money(20_000, Usd) };
        var account = NoticedOn(new LocalDate(2026, 3, 2), dispute) with { Balance = new Money(50_000, Usd) };

        var decision = Us(Call(At(NewYork, 2026, 4, 13, 10, 0)) with { Accounts = [account] });

        Assert.True(decision.Allowed);
        Assert.Contains(decision.Obligations, o => o.RuleId == "us.reg-f.dispute-hold" && o.Kind == ObligationKind.Restriction && o.Message.Contains("disputes $200.00 of account", StringComparison.Ordinal));
    }

    [Fact]
    public void A_time_barred_debt_may_be_collected_but_never_with_a_threat_of_suit()
    {
        var account = Debt() with { TimeBarredFrom = new LocalDate(2026, 1, 1) };
        var reminder = Send(ContactChannel.Letter, Monday10) with { Accounts = [account] };

        var plain = Us(reminder);
        var threat = Us(reminder with { MentionsLegalAction = true });
        var notice = Us(reminder with { Purpose = ContactPurpose.LegalActionNotice });

        Assert.True(plain.Allowed);
        Assert.Contains(plain.Obligations, o => o.RuleId == "us.reg-f.time-barred-suit" && o.Kind == ObligationKind.Restriction);
        Assert.Equal(["us.reg-f.time-barred-suit"], threat.Rules());
        Assert.Null(threat.NextAllowedAt);
        Assert.False(notice.Allowed);
    }

    [Fact]
    public void A_debt_becomes_time_barred_on_its_date_so_a_threat_the_day_before_is_not_refused_for_that()
    {
        var account = Debt() with { TimeBarredFrom = new LocalDate(2026, 3, 17) };

        Assert.True(Us(Send(ContactChannel.Letter, Monday10) with { Accounts = [account], Purpose = ContactPurpose.LegalActionNotice }).Allowed);
        Assert.False(Us(Send(ContactChannel.Letter, Monday10.Plus(Duration.FromDays(1))) with { Accounts = [account], Purpose = ContactPurpose.LegalActionNotice }).Allowed);
    }

    [Fact]
    public void After_a_cease_request_an_intended_suit_notice_on_a_time_barred_debt_is_still_refused()
    {
        var debtor = With(new DebtorFlag(DebtorFlagKind.CeaseCommunication, At(NewYork, 2026, 3, 2, 9, 0)));
        var request = Send(ContactChannel.Letter, Monday10, debtor, ContactPurpose.CeaseIntendedRemedyNotice) with
        {
            Accounts = [Debt() with { TimeBarred = true }],
            MentionsLegalAction = true,
        };

        Assert.Equal(["us.reg-f.time-barred-suit"], Us(request).Rules());
    }

    [Fact]
    public void Automated_calls_and_texts_need_recorded_consent()
    {
        var automated = Call(Monday10) with { Automated = true };
        var consenting = Person(Phone("mobile", NewYorkPhone) with { Consent = new ContactConsent(At(NewYork, 2025, 6, 1, 9, 0)) });

        Assert.Equal(["us.tcpa.automated-consent"], Us(automated).Rules());
        Assert.True(Us(automated with { Debtor = consenting }).Allowed);
        Assert.True(Us(Call(Monday10)).Allowed);
    }

    [Fact]
    public void Bankruptcy_stops_collection_but_not_a_reply_to_the_consumer()
    {
        var debtor = With(new DebtorFlag(DebtorFlagKind.Bankruptcy, At(NewYork, 2026, 3, 2, 9, 0)));

        Assert.Equal(["us.bankruptcy-stay"], Us(Call(Monday10, debtor)).Rules());
        Assert.True(Us(Send(ContactChannel.Email, Monday10, debtor, ContactPurpose.ResponseToConsumerRequest)).Allowed);
    }

    [Fact]
    public void A_deceased_debtor_is_not_contacted()
    {
        var decision = Us(Call(Monday10, With(new DebtorFlag(DebtorFlagKind.Deceased, At(NewYork, 2026, 3, 2, 9, 0)))));

        Assert.Equal(["us.deceased"], decision.Rules());
        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("estate", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_refusal_is_listed_and_the_next_time_satisfies_all_of_them()
    {
        var attorneyUntil = At(NewYork, 2026, 3, 18, 22, 0);
        var debtor = With(new DebtorFlag(DebtorFlagKind.RepresentedByAttorney, At(NewYork, 2026, 3, 2, 9, 0), attorneyUntil));

        var decision = Us(Call(At(NewYork, 2026, 3, 16, 7, 0), debtor, Spoke(At(NewYork, 2026, 3, 11, 9, 0))));

        Assert.Equal(["us.reg-f.attorney", "us.reg-f.inconvenient-time", "us.reg-f.call-after-conversation"], decision.Rules());
        Assert.Equal(At(NewYork, 2026, 3, 19, 8, 0), decision.NextAllowedAt); // attorney consents at 22:00; the hours open the next morning
    }

    [Fact]
    public void The_first_communication_must_say_it_is_from_a_debt_collector_and_bring_the_validation_notice()
    {
        var first = Us(Call(Monday10));
        var later = Us(Call(At(NewYork, 2026, 3, 25, 10, 0), null, Spoke(Monday10)));

        Assert.Contains(first.Obligations, o => o.RuleId == "us.reg-f.debt-collector-disclosure" && o.Message.StartsWith("This is the first communication", StringComparison.Ordinal));
        Assert.Contains(later.Obligations, o => o.RuleId == "us.reg-f.validation-notice" && o.Kind == ObligationKind.Warning && o.Message.Contains("due by 2026-03-21", StringComparison.Ordinal));
    }

    [Fact]
    public void A_destination_that_is_not_on_file_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Us(Call(Monday10) with { DestinationId = "nope" }));
        Assert.Throws<ArgumentException>(() => Us(Call(Monday10) with { DestinationId = "email" }));
    }
}
