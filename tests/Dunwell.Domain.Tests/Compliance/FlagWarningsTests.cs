using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class FlagWarningsTests
{
    [Theory]
    [InlineData(DebtorFlagKind.CeaseCommunication, "every call, text, email and letter")]
    [InlineData(DebtorFlagKind.RepresentedByAttorney, "all contact with the customer")]
    [InlineData(DebtorFlagKind.Bankruptcy, "all collection from the customer")]
    public void A_flag_that_silences_the_account_says_what_it_stops(DebtorFlagKind kind, string stops)
    {
        Assert.Contains(stops, FlagWarnings.Stops(kind), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DebtorFlagKind.Vulnerable)]
    [InlineData(DebtorFlagKind.OptOutCalls)]
    [InlineData(DebtorFlagKind.ConsentToCalls)]
    [InlineData(DebtorFlagKind.BreathingSpace)]
    public void Other_flags_need_no_confirmation(DebtorFlagKind kind)
    {
        Assert.Null(FlagWarnings.Stops(kind));
    }
}
