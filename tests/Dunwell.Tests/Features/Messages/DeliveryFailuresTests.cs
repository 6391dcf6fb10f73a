using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Messages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Features.Messages;

/// <summary>A message that did not arrive is marked on the message, on the address it went to, and on the timeline, once.</summary>
public sealed class DeliveryFailuresTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_bounce_marks_the_message_the_address_and_the_timeline_and_a_repeat_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await OutboxKit.AccountAsync(app, agent, "sam@example.com");
        var emailId = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.DebtorId == debtorId && c.Kind == ContactKind.Email).Select(c => c.Id).SingleAsync(Cancel));
        var messageId = await OutboxKit.QueueRowAsync(app, accountId, "instalment-reminder", "reminder:1:1", m =>
        {
            m.State = OutboxState.Sent;
            m.ContactId = emailId;
            m.Recipient = "sam@example.com";
        });

        var first = await app.WithDbAsync(db => DeliveryFailures.RecordBounceAsync(db, messageId, "550 5.1.1 mailbox unknown", app.Now, Cancel));
        var again = await app.WithDbAsync(db => DeliveryFailures.RecordBounceAsync(db, messageId, "550 5.1.1 mailbox unknown", app.Now, Cancel));
        var unknown = await app.WithDbAsync(db => DeliveryFailures.RecordBounceAsync(db, messageId + 1000, "whatever", app.Now, Cancel));
        var (message, contact, notes) = await app.WithDbAsync(async db => (
            await db.Outbox.SingleAsync(m => m.Id == messageId, Cancel),
            await db.DebtorContacts.SingleAsync(c => c.Id == emailId, Cancel),
            await db.Interactions.Where(i => i.AccountId == accountId && i.Author == "outbox").Select(i => i.Notes).ToListAsync(Cancel)));

        Assert.Equal((true, false, false), (first, again, unknown));
        Assert.Equal(OutboxState.Bounced, message.State);
        Assert.Equal((app.Now, "550 5.1.1 mailbox unknown"), (contact.UndeliverableSince, contact.UndeliverableReason));
        var note = Assert.Single(notes);
        Assert.Contains("sam@example.com was not delivered", note, StringComparison.Ordinal);
        Assert.Contains($"message {messageId}", note, StringComparison.Ordinal);
    }
}
