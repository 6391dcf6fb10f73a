using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Messages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>Creditors, debtors with postal addresses, accounts and outbox rows for the delivery tests, written directly.</summary>
internal static class MessagesSeed
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A creditor with its branding, on the given pack.</summary>
    public static Task<long> CreditorAsync(TestApp app, string reference, string pack, string timeZone, string? smsSender = null) =>
        app.WithDbAsync(async db =>
        {
            var creditor = new Creditor
            {
                Reference = reference,
                Name = reference == "ACME" ? "Acme Energy" : "Brightwater Housing",
                DisplayName = reference == "ACME" ? "Acme Energy Customer Care" : "Brightwater Housing",
                JurisdictionPack = pack,
                TimeZone = timeZone,
                ContactPhone = reference == "ACME" ? "+1 212 555 0100" : "+44 20 7946 0000",
                ContactEmail = $"help@{reference.ToLowerInvariant()}.example",
                PostalAddress = reference == "ACME" ? "1 Liberty Plaza\nNew York, NY 10006" : "4 Quay Street\nBristol BS1 4DB",
                AccentColour = "#0a6e5c",
                SmsSender = smsSender,
                CreatedAt = app.Now,
            };
            db.Creditors.Add(creditor);
            await db.SaveChangesAsync(Cancel);
            return creditor.Id;
        });

    /// <summary>A debtor at a US or a UK address and one account; returns the account id.</summary>
    public static Task<long> AccountAsync(TestApp app, long creditorId, string reference, bool uk = false, string name = "Jane Doe") =>
        app.WithDbAsync(async db =>
        {
            var debtor = new Debtor
            {
                CreditorId = creditorId,
                Reference = $"{reference}-D",
                Kind = DebtorKind.Person,
                Name = name,
                SearchName = name.ToLowerInvariant(),
                AddressLine1 = uk ? "27 Harbour Lane" : "12 Orchard Street",
                AddressLine2 = uk ? null : "Apt 4B",
                City = uk ? "Bristol" : "New York",
                Region = uk ? null : "NY",
                PostalCode = uk ? "BS1 5TY" : "10002",
                Country = uk ? "GB" : "US",
                Language = uk ? "en-GB" : "en-US",
                Contacts = [new DebtorContact { Kind = ContactKind.Phone, Value = uk ? "+447700900123" : "+12125550144", Consent = ConsentState.Granted, CreatedAt = app.Now }],
                CreatedAt = app.Now,
                UpdatedAt = app.Now,
            };
            var account = new Account
            {
                Reference = reference,
                CreditorId = creditorId,
                Debtor = debtor,
                Kind = AccountKind.Consumer,
                Currency = uk ? "GBP" : "USD",
                DueDate = new LocalDate(2026, 1, 15),
                Status = AccountStatus.Active,
                CreatedAt = app.Now,
                UpdatedAt = app.Now,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(Cancel);
            return account.Id;
        });

    /// <summary>An outbox row as the sender leaves it once handed over: in <paramref name="state"/> with the provider's id.</summary>
    public static Task<long> OutboxAsync(TestApp app, long accountId, InteractionChannel channel, string key, OutboxState state = OutboxState.Sending, string? providerId = null, long? contactId = null) =>
        app.WithDbAsync(async db =>
        {
            var message = new OutboxMessage
            {
                AccountId = accountId,
                Channel = channel,
                TemplateKey = "reminder",
                IdempotencyKey = key,
                SendAfter = app.Now,
                State = state,
                ProviderMessageId = providerId,
                ContactId = contactId,
                CreatedAt = app.Now,
            };
            db.Outbox.Add(message);
            await db.SaveChangesAsync(Cancel);
            return message.Id;
        });

    public static Task<OutboxState> StateAsync(TestApp app, long messageId) =>
        app.WithDbAsync(db => db.Outbox.Where(m => m.Id == messageId).Select(m => m.State).SingleAsync(Cancel));

    public static Outgoing Outgoing(long messageId, long accountId, long creditorId, string to, string text, string? subject = null, string language = "en-US") =>
        new(messageId, $"test:{messageId}", accountId, creditorId, to, null, null, subject, text, null, language);
}
