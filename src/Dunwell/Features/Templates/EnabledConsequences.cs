using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Messages;
using Dunwell.Features.Accounts;

namespace Dunwell.Features.Templates;

/// <summary>
/// The consequences a message may name for this account: those the creditor's policy enables, less any the account
/// cannot lawfully face (no lawsuit on a time-barred debt). Templates read them so they never mention a step that will
/// not happen.
/// </summary>
public static class EnabledConsequences
{
    public static IReadOnlyList<Consequence> Of(CreditorPolicy? policy, AccountView account)
    {
        IEnumerable<Consequence> enabled = Enabled(policy);
        if (account.TimeBarred)
        {
            enabled = enabled.Where(c => c != Consequence.Legal);
        }

        return [.. enabled.Distinct().Order()];
    }

    /// <summary>The wire name: "agency", "legal", "credit_reporting", "service_suspension", "repossession".</summary>
    public static string Name(Consequence consequence) => consequence switch
    {
        Consequence.CreditReporting => "credit_reporting",
        Consequence.ServiceSuspension => "service_suspension",
        _ => consequence.ToString().ToLowerInvariant(),
    };

    private static IReadOnlyList<Consequence> Enabled(CreditorPolicy? policy) => policy?.EnabledConsequences ?? [];
}
