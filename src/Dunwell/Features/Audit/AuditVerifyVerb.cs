using System.CommandLine;
using System.Globalization;
using Dunwell.Data;
using Dunwell.Web;

namespace Dunwell.Features.Audit;

/// <summary><c>dunwell audit verify</c>: exit 0 when every chain is intact, 3 with the first broken link when one is not.</summary>
internal static class AuditVerifyVerb
{
    public const int BrokenExitCode = 3;

    public static Command Verify()
    {
        var verify = new Command("verify", "Check the hash chains of the ledger, interactions and audit trail; report the first broken link.");
        verify.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<DunwellDb>();
            var report = await AuditVerify.RunAsync(db, token);
            await AuditLog.RecordReadsAsync(db, "system:cli", services.GetRequiredService<TimeProvider>().Now(),
                [new AuditLog.Read(AuditVerifyApi.Action, "audit:chains", report.Intact ? "intact" : $"broken: {report.FirstBreak}")], token);
            if (!report.Intact)
            {
                throw new VerbException(string.Create(CultureInfo.InvariantCulture,
                    $"audit verify: {report.Broken} broken link(s) in {report.Rows} rows; the first: {report.FirstBreak}"), BrokenExitCode);
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Intact: {report.Rows} rows in {report.Chains} chains."));
            if (report.Spooled > 0)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Not yet checked: {report.Spooled} recent read event(s) wait in the audit spool while another writer holds the database; run again once it is done."));
            }
            return 0;
        }, ct));
        return verify;
    }

    public static Command Command() => new("audit", "The tamper-evident records.") { Verify() };
}
