using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Inbound;
using Dunwell.Features.Inbound;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace Dunwell.Tests.Features.Inbound;

/// <summary>Customers' emails delivered to a real SMTP server and read back by Dunwell over IMAP.</summary>
public sealed class InboundEmailTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Emails_are_polled_matched_by_address_and_reply_header_masked_and_recorded_once(string provider)
    {
        var mail = TestMailServer.Require();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 15, 0));
        var accountId = await PageSession.SeedAccountAsync(app);
        var debtor = TestMailServer.NewAddress("debtor");
        var stranger = TestMailServer.NewAddress("stranger");
        var mailbox = TestMailServer.NewAddress("replies");
        var sentId = $"reminder-{Guid.NewGuid():N}@dunwell.test";
        await app.WithDbAsync(async db =>
        {
            (await db.DebtorContacts.SingleAsync(c => c.Kind == ContactKind.Email, Cancel)).Value = debtor;
            db.Outbox.Add(new OutboxMessage
            {
                AccountId = accountId,
                Channel = InteractionChannel.Email,
                TemplateKey = "reminder",
                IdempotencyKey = "reminder:1",
                State = OutboxState.Sent,
                ProviderMessageId = sentId,
                SendAfter = app.Now,
                CreatedAt = app.Now,
            });
            await db.SaveChangesAsync(Cancel);
        });

        await SendAsync(mail, debtor, mailbox, "About my bill", "Here is my card 4111 1111 1111 1111. I have a lawyer now.");
        await SendAsync(mail, stranger, mailbox, "Re: Your reminder", "I am writing for my mother about this reminder.", inReplyTo: sentId);
        await SendAsync(mail, debtor, TestMailServer.NewAddress("someone-else"), "Not for Dunwell", "This goes elsewhere.");
        await mail.WaitForAsync(mailbox, 2, cancellationToken: Cancel);
        var options = new ImapOptions { Host = mail.ImapHost, Port = mail.ImapPort, Tls = "none", User = "dunwell", Password = "test", Recipients = [mailbox] };

        var first = await PollAsync(app, options);
        var second = await PollAsync(app, options);
        // A crash after recording but before the cursor moved: the next poll reads the same messages and records nothing new.
        await app.WithDbAsync(async db =>
        {
            (await db.InboundMailboxCursors.SingleAsync(Cancel)).LastUid = 0;
            await db.SaveChangesAsync(Cancel);
        });
        var afterCrash = await PollAsync(app, options);

        Assert.Equal(2, first.Recorded);
        Assert.Equal(0, second.Recorded + second.AlreadyRecorded);
        Assert.Equal((0, 2), (afterCrash.Recorded, afterCrash.AlreadyRecorded));
        var messages = await app.WithDbAsync(db => db.InboundMessages.OrderBy(m => m.Id).ToListAsync(Cancel));
        Assert.Equal(2, messages.Count);
        Assert.Equal(("address", accountId, InboundState.Recorded), (messages[0].MatchedBy, messages[0].AccountId, messages[0].State));
        Assert.Contains("**** **** **** 1111", messages[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111", messages[0].Body, StringComparison.Ordinal);
        Assert.Equal(InboundSignals.Attorney, messages[0].Flags);
        Assert.Equal(("reply-header", accountId), (messages[1].MatchedBy, messages[1].AccountId));
        Assert.Equal(2, await app.WithDbAsync(db => db.Tasks.CountAsync(t => t.Kind == WorkTaskKind.InboundReply, Cancel)));
        var notes = await app.WithDbAsync(db => db.Interactions.Where(i => i.Direction == InteractionDirection.Inbound).Select(i => i.Notes!).ToListAsync(Cancel));
        Assert.Equal(2, notes.Count);
        Assert.All(notes, n => Assert.DoesNotContain("4111 1111", n, StringComparison.Ordinal));
    }

    private static async Task<PollSummary> PollAsync(TestApp app, ImapOptions options)
    {
        await using var scope = app.Services.CreateSystemScope();
        return await ImapMailbox.PollAsync(scope.ServiceProvider.GetRequiredService<DunwellDb>(), options, app.Clock, Cancel);
    }

    private static async Task SendAsync(TestMailServer mail, string from, string to, string subject, string text, string? inReplyTo = null)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(mail.SmtpHost, mail.SmtpPort, SecureSocketOptions.None, Cancel);
        await smtp.SendAsync(message, Cancel);
        await smtp.DisconnectAsync(true, Cancel);
    }
}
