using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// The customer's requests (CONC 7.9.4R), bankruptcy and death under the UK pack. Instants are in London, on GMT until
/// 29 March 2026 and on BST from then; 10 March 2026 is a Tuesday and 14 July 2026 a Tuesday.
/// </summary>
public sealed class UkFcaScenarioTests
{
    private const string WorkPhone = "+442079460001";
    private const string MothersPhone = "+441614960000";

    private static DebtorFacts Customer(params ContactPoint[] more) =>
        Person([Phone("mobile", LondonPhone), Email("email", "sam@example.co.uk"), .. more]);

    private static DebtorFacts With(DebtorFlagKind kind, Instant since, Instant? until = null) =>
        Customer() with { Flags = [new DebtorFlag(kind, since, until)] };

    private static ContactRequest UkCall(Instant at, DebtorFacts debtor, string to = "mobile") =>
        Call(at, debtor) with { DestinationId = to };

    // The customer asked on Sunday 1 March 2026 at 09:00 that all contact stop.
    private static readonly Instant StopAsked = At(London, 2026, 3, 1, 9, 0);

    [Fact]
    public void After_a_request_to_stop_contact_a_collection_call_is_refused_with_no_next_time()
    {
        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), With(DebtorFlagKind.CeaseCommunication, StopAsked)));

        Assert.Equal(["uk.fca.stop-contact-request"], decision.Rules());
        Assert.Equal("CONC 7.9.4R", decision.Reasons[0].Citation);
        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("withdraws", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stop_request_applies_from_the_instant_it_was_made()
    {
        var debtor = With(DebtorFlagKind.CeaseCommunication, StopAsked);

        Assert.True(Uk(UkCall(StopAsked - Duration.FromSeconds(1), debtor)).Allowed);
        Assert.Equal(["uk.fca.stop-contact-request"], Uk(UkCall(StopAsked, debtor)).Rules());
    }

    [Fact]
    public void After_a_request_to_stop_contact_a_reply_to_the_customer_may_still_go()
    {
        var debtor = With(DebtorFlagKind.CeaseCommunication, StopAsked);

        Assert.True(Uk(Send(ContactChannel.Email, At(London, 2026, 3, 10, 12, 0), debtor, ContactPurpose.ResponseToConsumerRequest)).Allowed);
    }

    [Fact]
    public void After_a_request_to_stop_contact_a_notice_the_law_requires_may_still_go()
    {
        var debtor = With(DebtorFlagKind.CeaseCommunication, StopAsked);

        Assert.True(Uk(Send(ContactChannel.Letter, At(London, 2026, 3, 10, 12, 0), debtor, ContactPurpose.RequiredByLaw)).Allowed);
    }

    [Fact]
    public void After_a_request_to_stop_contact_even_a_collection_letter_is_refused()
    {
        var debtor = With(DebtorFlagKind.CeaseCommunication, StopAsked);

        Assert.Equal(["uk.fca.stop-contact-request"], Uk(Send(ContactChannel.Letter, At(London, 2026, 3, 10, 12, 0), debtor)).Rules());
    }

    [Fact]
    public void Contact_resumes_when_the_customer_withdraws_the_stop_request()
    {
        var withdrawn = At(London, 2026, 3, 12, 10, 30); // Thursday, within hours
        var debtor = With(DebtorFlagKind.CeaseCommunication, StopAsked, withdrawn);

        var before = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor));

        Assert.Equal(["uk.fca.stop-contact-request"], before.Rules());
        Assert.Equal(Instant.FromUtc(2026, 3, 12, 10, 30), before.NextAllowedAt);
        Assert.True(Uk(UkCall(withdrawn, debtor)).Allowed);
    }

    [Fact]
    public void A_stop_request_withdrawn_late_in_the_evening_lets_contact_resume_at_08_00_the_next_morning()
    {
        var debtor = With(DebtorFlagKind.CeaseCommunication, StopAsked, At(London, 2026, 3, 12, 22, 15));

        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor));

        Assert.Equal(Instant.FromUtc(2026, 3, 13, 8, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_stop_request_about_one_account_does_not_stop_contact_about_another()
    {
        var debtor = Customer() with { Flags = [new DebtorFlag(DebtorFlagKind.CeaseCommunication, StopAsked) { Accounts = ["A-2"] }] };

        Assert.True(Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor)).Allowed);
        Assert.Equal(["uk.fca.stop-contact-request"], Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor) with { Accounts = [Debt("A-2")] }).Rules());
    }

    // "Don't ring me before noon": from midnight to 12:00, every day.
    private static readonly InconvenientTime NotBeforeNoon = new(new LocalTime(0, 0), new LocalTime(12, 0));

    [Fact]
    public void A_time_the_customer_asked_to_avoid_is_refused_until_it_ends_in_London()
    {
        var debtor = Customer() with { InconvenientTimes = [NotBeforeNoon] };

        var decision = Uk(UkCall(At(London, 2026, 7, 14, 10, 0), debtor));

        Assert.Equal(["uk.fca.requested-contact-time"], decision.Rules());
        Assert.Equal("CONC 7.9.4R", decision.Reasons[0].Citation);
        Assert.Equal(Instant.FromUtc(2026, 7, 14, 11, 0), decision.NextAllowedAt); // 12:00 BST
    }

    [Fact]
    public void The_end_of_a_time_the_customer_asked_to_avoid_is_itself_allowed()
    {
        var debtor = Customer() with { InconvenientTimes = [NotBeforeNoon] };

        Assert.False(Uk(UkCall(Instant.FromUtc(2026, 7, 14, 10, 59, 59), debtor)).Allowed);
        Assert.True(Uk(UkCall(Instant.FromUtc(2026, 7, 14, 11, 0), debtor)).Allowed);
    }

    [Fact]
    public void A_time_to_avoid_on_Saturday_evenings_runs_past_midnight_into_Sunday_morning_and_no_further()
    {
        // "Not Saturday nights, 20:00 to 10:00": it starts on Saturdays, so Sunday morning is covered and Sunday evening is not.
        var debtor = Customer() with
        {
            InconvenientTimes = [new InconvenientTime(new LocalTime(20, 0), new LocalTime(10, 0)) { Days = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday } }],
        };

        var saturdayEvening = Uk(UkCall(Instant.FromUtc(2026, 3, 14, 20, 30), debtor));
        var sundayMorning = Uk(UkCall(Instant.FromUtc(2026, 3, 15, 9, 0), debtor));
        var sundayEvening = Uk(UkCall(Instant.FromUtc(2026, 3, 15, 20, 30), debtor));

        Assert.Equal(["uk.fca.requested-contact-time"], saturdayEvening.Rules());
        Assert.Equal(Instant.FromUtc(2026, 3, 15, 10, 0), saturdayEvening.NextAllowedAt);
        Assert.Equal(["uk.fca.requested-contact-time"], sundayMorning.Rules());
        Assert.True(sundayEvening.Allowed);
    }

    [Fact]
    public void A_daily_time_to_avoid_follows_London_time_across_the_March_clock_change()
    {
        var debtor = Customer() with { InconvenientTimes = [new InconvenientTime(new LocalTime(12, 0), new LocalTime(14, 0))] };

        var friday = Uk(UkCall(Instant.FromUtc(2026, 3, 27, 12, 30), debtor)); // 12:30 GMT
        var monday = Uk(UkCall(Instant.FromUtc(2026, 3, 30, 12, 30), debtor)); // 13:30 BST

        Assert.Equal(Instant.FromUtc(2026, 3, 27, 14, 0), friday.NextAllowedAt);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 13, 0), monday.NextAllowedAt);
        Assert.True(Uk(UkCall(Instant.FromUtc(2026, 3, 30, 10, 59, 59), debtor)).Allowed); // 11:59:59 BST
        Assert.Equal(["uk.fca.requested-contact-time"], Uk(UkCall(Instant.FromUtc(2026, 3, 30, 11, 0), debtor)).Rules()); // 12:00 BST
    }

    [Fact]
    public void When_requested_times_fit_both_of_the_customers_zones_only_in_late_October_the_next_time_is_found_months_ahead()
    {
        // A London mobile and a New York number, so both zones count. Free only 08:00–08:30 and 12:00–12:30 local: both
        // zones agree only while London is 4 hours ahead of New York (8–29 March and 25 October–1 November 2026), when
        // 12:00 in London is 08:00 in New York.
        var debtor = Customer(Phone("us", NewYorkPhone)) with
        {
            InconvenientTimes = [new InconvenientTime(new LocalTime(8, 30), new LocalTime(12, 0)), new InconvenientTime(new LocalTime(12, 30), new LocalTime(8, 0))],
        };

        var decision = Uk(UkCall(Instant.FromUtc(2026, 4, 1, 12, 0), debtor));

        Assert.Equal(["America/New_York", "Europe/London"], decision.Zones.Order());
        Assert.Equal(Instant.FromUtc(2026, 10, 25, 12, 0), decision.NextAllowedAt); // 12:00 GMT, 08:00 EDT
    }

    [Fact]
    public void When_requested_times_fit_both_of_the_customers_zones_only_after_BST_ends_the_next_time_is_that_evening()
    {
        // A London mobile and a Chilean number. "Not between 10:00 and 17:15" leaves 08:00–10:00 and 17:15–21:00 free in
        // each zone. Santiago is 5 hours behind London from 5 April and 4 hours behind from 6 September: no instant suits
        // both. From 25 October it is 3 hours behind, and 20:15 in London is 17:15 in Santiago. The hours and the
        // requested times refuse in turn, two steps a day: the search used to stop after 400 steps, just short of
        // this, and say no time in the next year would do.
        var debtor = Customer(Phone("chile", "+56221234567") with { TimeZone = "America/Santiago" }) with
        {
            InconvenientTimes = [new InconvenientTime(new LocalTime(10, 0), new LocalTime(17, 15))],
        };

        var decision = Uk(UkCall(Instant.FromUtc(2026, 4, 8, 12, 0), debtor));

        Assert.Equal(Instant.FromUtc(2026, 10, 25, 20, 15), decision.NextAllowedAt); // 20:15 GMT, 17:15 in Santiago
    }

    [Fact]
    public void The_customers_consent_to_a_time_lifts_their_request_to_avoid_it()
    {
        var debtor = Customer() with
        {
            InconvenientTimes = [NotBeforeNoon],
            Consents = [new PriorConsent(ConsentScope.InconvenientTime, At(London, 2026, 7, 13, 15, 0), At(London, 2026, 7, 15, 0, 0))],
        };

        Assert.True(Uk(UkCall(At(London, 2026, 7, 14, 10, 0), debtor)).Allowed);
        Assert.Equal(["uk.fca.requested-contact-time"], Uk(UkCall(At(London, 2026, 7, 15, 10, 0), debtor)).Rules());
    }

    [Fact]
    public void When_the_customer_calls_at_a_time_they_asked_to_avoid_one_reply_by_phone_may_go_then()
    {
        var debtor = Customer() with { InconvenientTimes = [NotBeforeNoon] };
        var theyCalled = At(London, 2026, 7, 14, 10, 0);
        var reply = UkCall(At(London, 2026, 7, 14, 10, 5), debtor) with { InResponseTo = theyCalled };
        var secondReply = reply with
        {
            At = At(London, 2026, 7, 14, 10, 30),
            History = [PlacedCall(At(London, 2026, 7, 14, 10, 5))],
        };

        Assert.True(Uk(reply).Allowed);
        Assert.Equal(["uk.fca.requested-contact-time"], Uk(secondReply).Rules());
    }

    [Fact]
    public void A_workplace_number_is_refused_for_good_where_the_employer_prohibits_contact()
    {
        var debtor = Customer(Phone("work", WorkPhone) with { Workplace = true, EmployerProhibits = true });

        var atWork = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor, "work"));

        Assert.Equal(["uk.fca.contact-place"], atWork.Rules());
        Assert.Equal("CONC 7.9.4R", atWork.Reasons[0].Citation);
        Assert.Null(atWork.NextAllowedAt);
        Assert.True(Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor)).Allowed); // the mobile is fine
    }

    [Fact]
    public void A_workplace_number_may_be_called_when_the_employer_does_not_prohibit_it()
    {
        var debtor = Customer(Phone("work", WorkPhone) with { Workplace = true });

        Assert.True(Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor, "work")).Allowed);
    }

    [Fact]
    public void The_customers_consent_to_calls_at_work_lifts_the_workplace_rule_until_it_expires()
    {
        var consent = new ContactConsent(At(London, 2026, 3, 2, 11, 0), Expires: At(London, 2026, 3, 20, 0, 0));
        var debtor = Customer(Phone("work", WorkPhone) with { Workplace = true, EmployerProhibits = true, Consent = consent });

        Assert.True(Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor, "work")).Allowed);
        Assert.Equal(["uk.fca.contact-place"], Uk(UkCall(At(London, 2026, 3, 20, 12, 0), debtor, "work")).Rules());
    }

    [Fact]
    public void Consent_to_calls_at_work_recorded_from_a_later_instant_gives_that_instant_as_the_next_time()
    {
        var consent = new ContactConsent(At(London, 2026, 3, 12, 14, 0));
        var debtor = Customer(Phone("work", WorkPhone) with { Workplace = true, EmployerProhibits = true, Consent = consent });

        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor, "work"));

        Assert.Equal(["uk.fca.contact-place"], decision.Rules());
        Assert.Equal(Instant.FromUtc(2026, 3, 12, 14, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_place_the_customer_called_inconvenient_is_refused_for_good()
    {
        // "Don't ring me at my mother's."
        var debtor = Customer(Phone("mothers", MothersPhone) with { InconvenientPlace = true });

        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor, "mothers"));

        Assert.Equal(["uk.fca.contact-place"], decision.Rules());
        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void A_notice_the_law_requires_may_go_to_a_workplace_email()
    {
        var debtor = Customer(Email("work-email", "sam@employer.example") with { Workplace = true, EmployerProhibits = true });
        var notice = Send(ContactChannel.Email, At(London, 2026, 3, 10, 12, 0), debtor, ContactPurpose.RequiredByLaw) with { DestinationId = "work-email" };

        Assert.True(Uk(notice).Allowed);
        Assert.Equal(["uk.fca.contact-place"], Uk(notice with { Purpose = ContactPurpose.Collection }).Rules());
    }

    // Bankruptcy order made on Monday 2 March 2026.
    private static readonly Instant Adjudged = At(London, 2026, 3, 2, 10, 0);

    [Fact]
    public void A_bankrupt_customer_is_not_asked_for_payment_and_no_next_time_is_given()
    {
        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), With(DebtorFlagKind.Bankruptcy, Adjudged)));

        Assert.Equal(["uk.bankruptcy"], decision.Rules());
        Assert.Equal("Insolvency Act 1986 s. 285(3)", decision.Reasons[0].Citation);
        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("annulment", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bankrupt_customer_may_still_be_answered()
    {
        var debtor = With(DebtorFlagKind.Bankruptcy, Adjudged);

        Assert.True(Uk(Send(ContactChannel.Email, At(London, 2026, 3, 10, 12, 0), debtor, ContactPurpose.ResponseToConsumerRequest)).Allowed);
    }

    [Fact]
    public void Collection_resumes_from_the_recorded_end_of_the_bankruptcy_at_the_next_reasonable_hour()
    {
        var annulled = At(London, 2026, 6, 19, 0, 0); // Friday, midnight BST
        var debtor = With(DebtorFlagKind.Bankruptcy, Adjudged, annulled);

        var decision = Uk(UkCall(At(London, 2026, 6, 15, 12, 0), debtor));

        Assert.Equal(["uk.bankruptcy"], decision.Rules());
        Assert.Equal(Instant.FromUtc(2026, 6, 19, 7, 0), decision.NextAllowedAt); // 08:00 BST
    }

    [Fact]
    public void A_bankruptcy_recorded_against_one_account_does_not_stop_collection_of_another()
    {
        var debtor = Customer() with { Flags = [new DebtorFlag(DebtorFlagKind.Bankruptcy, Adjudged) { Accounts = ["A-2"] }] };

        Assert.True(Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor)).Allowed);
    }

    // The customer's death was recorded on Wednesday 4 March 2026.
    private static readonly Instant Died = At(London, 2026, 3, 4, 15, 0);

    [Fact]
    public void A_deceased_customers_own_contacts_are_not_used_even_to_reply()
    {
        var debtor = With(DebtorFlagKind.Deceased, Died);
        var at = At(London, 2026, 3, 10, 12, 0);

        var call = Uk(UkCall(at, debtor));
        var reply = Uk(Send(ContactChannel.Email, at, debtor, ContactPurpose.ResponseToConsumerRequest));

        Assert.Equal(["uk.deceased"], call.Rules());
        Assert.Null(call.NextAllowedAt);
        Assert.Contains("representative", call.NoNextAllowedBecause, StringComparison.Ordinal);
        Assert.Equal(["uk.deceased"], reply.Rules());
    }

    [Fact]
    public void A_notice_the_law_requires_may_still_be_sent_after_the_customer_died()
    {
        var debtor = With(DebtorFlagKind.Deceased, Died);

        Assert.True(Uk(Send(ContactChannel.Letter, At(London, 2026, 3, 10, 12, 0), debtor, ContactPurpose.RequiredByLaw)).Allowed);
    }

    [Fact]
    public void A_death_recorded_in_error_stops_refusing_when_the_flag_is_ended()
    {
        var debtor = With(DebtorFlagKind.Deceased, Died, At(London, 2026, 3, 11, 9, 30));

        var decision = Uk(UkCall(At(London, 2026, 3, 10, 12, 0), debtor));

        Assert.Equal(Instant.FromUtc(2026, 3, 11, 9, 30), decision.NextAllowedAt);
    }
}
