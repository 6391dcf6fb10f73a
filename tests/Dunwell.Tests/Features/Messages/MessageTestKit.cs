using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Messages;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Features.Messages;

internal static class MessageTestKit
{
    /// <summary>Saves a policy version for the creditor with these escalations enabled.</summary>
    public static Task EnableAsync(TestApp app, string creditor, params Consequence[] consequences) =>
        app.WithDbAsync(async db =>
        {
            var creditorId = await db.Creditors.Where(c => c.Reference == creditor).Select(c => c.Id).SingleAsync(TestContext.Current.CancellationToken);
            var policy = CreditorPolicy.Default with { EnabledConsequences = consequences };
            await PolicyStore.SaveAsync(db, creditorId, policy, "test", app.Now, TestContext.Current.CancellationToken);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

}
