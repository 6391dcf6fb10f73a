using System.CommandLine;

namespace Dunwell.Features;

/// <summary>The batch verbs of the feature folders (import, generate, demo…), one line each.</summary>
internal static class FeatureVerbs
{
    public static IEnumerable<Command> Commands()
    {
        yield return Demo.DemoVerb.Command();
        yield return Creditors.CreditorVerbs.Command();
        yield return Imports.ImportVerbs.Command();
        yield return Generate.GenerateVerbs.Command();
        yield return Arrangements.EvaluateArrangements.Command();
        yield return Charges.PostCharges.Command();
        yield return Compliance.OutboxGate.Command();
        yield return Web.Idempotency.Command();
        yield return Audit.AuditVerifyVerb.Command();
        yield return Messages.Letters.LetterVerbs.Command();
        yield return Inbound.InboundVerbs.Command();
    }
}
