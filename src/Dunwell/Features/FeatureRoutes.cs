using Dunwell.Features.Accounts;
using Dunwell.Features.Debtors;
using Dunwell.Features.Interactions;
using Dunwell.Features.Payments;

namespace Dunwell.Features;

/// <summary>One line per slice: the API routes on <c>/api/v1</c> and the page fragments and form posts on the app.</summary>
internal static class FeatureRoutes
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);

        // Creditors: whose money it is; every caller acts for a set of them (issue 9).
        Creditors.CreditorsApi.Map(api);

        // Records API (DESIGN §5.3): debtors, accounts, payments, interactions, ledger reversals.
        CreateDebtor.Map(api);
        GetDebtor.Map(api);
        UpdateDebtor.Map(api);
        CreateAccount.Map(api);
        AccountApi.Map(api);
        UpdateAccount.Map(api);
        SearchAccountsApi.Map(api);
        GetLedgerEntry.Map(api);
        ReverseLedgerEntry.Map(api);
        PostPayment.Map(api);
        InteractionsApi.Map(api);
        Messages.QueueMessageApi.Map(api); // an agent's own message, linted and screened before it is queued
        Audit.AuditVerifyApi.Map(api); // the records' hash chains checked (DESIGN §4.3)

        // Pages' form posts and fragments.
        SignIn.SignInEndpoints.Map(app);
        AccountPageEndpoints.Map(app);
        Arrangements.ApprovalEndpoints.Map(app);
        Arrangements.ProposeFromPage.Map(app);
        Disputes.DisputeFromPage.Map(app);
        Debtors.FactsFromPage.Map(app);

        // Portfolio in (DESIGN §4.1).
        Imports.ImportEndpoints.Map(api);

        // Options and arrangements (DESIGN §4.4).
        Arrangements.GetOptions.Map(api);
        Arrangements.ProposeArrangement.Map(api);
        Arrangements.DecideArrangement.Map(api);
        CreditorPolicies.PolicyApi.Map(api);

        // Fees and interest, itemised (DESIGN §4.5).
        Charges.GetCharges.Map(api);
        Charges.ReferenceRatesApi.Map(api);

        // Compliance: may this contact be made now (DESIGN §4.6).
        Compliance.ContactEligibilityApi.Map(api);

        // Compliance facts (issue 4): disputes and their verification.
        Disputes.RecordDispute.Map(api);
        Disputes.VerifyDispute.Map(api);
        Disputes.GetDisputes.Map(api);

        // Inbound messages and response deadlines (issue 11).
        Inbound.SmsInboundWebhook.Map(app);
        Inbound.InboundEndpoints.Map(app);
        Inbound.InboundApi.Map(api);
        // Message templates and the invoice copy (issue 11).
        Templates.TemplatesApi.Map(api);
        Templates.ResendInvoiceCopy.Map(api, app);

        // The audit trail, for auditors and admins (issue 9).
        Audit.AuditTrailApi.Map(api);

        // The message linter: may this text go out (DESIGN §5.3, issue 11).
        Messages.CheckMessageApi.Map(api);

        // SMS delivery receipts from the provider (signed), and the letters page's download and mark-as-posted (issue 11).
        Messages.Sms.SmsReceipts.Map(app);
        Messages.Letters.LetterBatchEndpoints.Map(app);
        Messages.Outbox.ParkedMessagesEndpoint.Map(app);
    }
}
