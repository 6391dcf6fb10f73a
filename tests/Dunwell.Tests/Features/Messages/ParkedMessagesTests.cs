using System.Net;
using Dunwell.Data;
using Dunwell.Features.Messages.Outbox;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Features.Messages;

/// <summary>A parked message is settled by a person, audited: marked sent (on the timeline) or queued to go again.</summary>
public sealed class ParkedMessagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_parked_message_is_marked_sent_or_sent_again_and_the_decision_is_audited(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await OutboxKit.AccountAsync(app, agent, "sam@example.com");
        var arrived = await OutboxKit.QueueRowAsync(app, accountId, "agent-message", "agent:1", m => (m.State, m.HeldReason, m.Subject) = (OutboxState.Parked, "It may have been delivered.", "Hello"));
        var lost = await OutboxKit.QueueRowAsync(app, accountId, "agent-message", "agent:2", m => m.State = OutboxState.Parked);
        var queued = await OutboxKit.QueueRowAsync(app, accountId, "agent-message", "agent:3");

        var results = await app.WithDbAsync(async db => new[]
        {
            await ParkedMessages.ReconcileAsync(db, arrived, arrived: true, "sup@example.com", app.Now, Cancel),
            await ParkedMessages.ReconcileAsync(db, lost, arrived: false, "sup@example.com", app.Now, Cancel),
            await ParkedMessages.ReconcileAsync(db, queued, arrived: true, "sup@example.com", app.Now, Cancel),
        });
        var states = await app.WithDbAsync(db => db.Outbox.ToDictionaryAsync(m => m.Id, m => m.State, Cancel));
        var audits = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == ParkedMessages.Action).Select(e => e.Subject).ToListAsync(Cancel));
        var notes = await app.WithDbAsync(db => db.Interactions.Where(i => i.AccountId == accountId && i.Author == "sup@example.com").Select(i => i.Notes).ToListAsync(Cancel));

        Assert.Equal([true, true, false], results);
        Assert.Equal((OutboxState.Sent, OutboxState.Queued, OutboxState.Queued), (states[arrived], states[lost], states[queued]));
        Assert.Equal([$"outbox:{arrived}", $"outbox:{lost}"], audits.Order());
        Assert.Contains("confirmed sent by sup@example.com", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_supervisor_settles_parked_messages_on_the_page_and_sees_only_their_creditors(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, OutboxKit.Morning);
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await OutboxKit.AccountAsync(app, agent, "sam@example.com");
        var parked = await OutboxKit.QueueRowAsync(app, accountId, "agent-message", "agent:1",
            m => (m.State, m.HeldReason, m.Subject, m.Recipient) = (OutboxState.Parked, "The connection dropped after the server took the text.", "Your balance", "sam@example.com"));
        await app.WithDbAsync(async db =>
        {
            db.Creditors.Add(new Creditor { Reference = "OTHER", Name = "Other Ltd", JurisdictionPack = "B2B", TimeZone = "Europe/London", CreatedAt = app.Now, UpdatedAt = app.Now });
            await db.SaveChangesAsync(Cancel);
        });
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor, "ACME");
        var otherSupervisor = await PageSession.SignedInAsync(app, Roles.Supervisor, "OTHER");

        var list = await supervisor.GetStringAsync("/outbox/parked", Cancel);
        var hidden = await otherSupervisor.GetStringAsync("/outbox/parked", Cancel);
        var outsider = await PageSession.SubmitAsync(otherSupervisor, "/outbox/parked", "", new() { ["arrived"] = "true" }, $"/outbox/{parked}/reconcile");
        var settled = await PageSession.SubmitAsync(supervisor, "/outbox/parked", "", new() { ["arrived"] = "true" }, $"/outbox/{parked}/reconcile");
        var after = await supervisor.GetStringAsync(settled.Headers.Location!.ToString(), Cancel);

        Assert.Contains("The connection dropped after the server took the text.", list, StringComparison.Ordinal);
        Assert.Contains("Your balance", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Your balance", hidden, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, settled.StatusCode);
        Assert.Contains($"Message {parked} is marked as sent", after, StringComparison.Ordinal);
        Assert.Equal(OutboxState.Sent, await app.WithDbAsync(db => db.Outbox.Where(m => m.Id == parked).Select(m => m.State).SingleAsync(Cancel)));
    }
}
