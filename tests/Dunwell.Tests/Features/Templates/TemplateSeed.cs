using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Templates;

/// <summary>Accounts for template tests: a creditor with its contact details, a debtor in a language, a ledger with a charge and a fee.</summary>
internal static class TemplateSeed
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<long> AccountAsync(
        TestApp app, string creditor = "NWU", string pack = "US-FDCPA", AccountKind kind = AccountKind.Consumer, string language = "en-US",
        string currency = "USD", string zone = "America/New_York", string reference = "NWU-100001") =>
        app.WithDbAsync(async db =>
        {
            var owner = await db.Creditors.SingleOrDefaultAsync(c => c.Reference == creditor, Cancel) ?? new Creditor
            {
                Reference = creditor,
                Name = creditor + " Ltd",
                DisplayName = "Northwind Utilities",
                JurisdictionPack = pack,
                TimeZone = zone,
                ContactEmail = "help@northwind.example",
                ContactPhone = "+1 518 555 0100",
                PostalAddress = "PO Box 100, Albany NY 12201",
                Website = "pay.northwind.example",
                CreatedAt = app.Now,
            };
            var account = new Account
            {
                Reference = reference,
                Creditor = owner,
                Debtor = new Debtor
                {
                    Creditor = owner,
                    Reference = reference + "-D",
                    Kind = kind == AccountKind.Consumer ? DebtorKind.Person : DebtorKind.Company,
                    Name = kind == AccountKind.Consumer ? "Dana Whitfield" : "Whitfield Joinery",
                    SearchName = "whitfield",
                    AddressLine1 = "12 Maple Avenue",
                    City = "Albany",
                    Country = pack switch { "US-FDCPA" => "US", "B2B-EU" => "DE", _ => "GB" },
                    TimeZone = zone,
                    Language = language,
                    Contacts = [new DebtorContact { Kind = ContactKind.Email, Value = $"{reference.ToLowerInvariant()}@example.com", Consent = ConsentState.Granted }],
                },
                Kind = kind,
                Currency = currency,
                DueDate = new LocalDate(2026, 1, 15),
                ItemizationDate = new LocalDate(2026, 1, 15),
                OriginalCreditor = "Northwind Power",
                Status = AccountStatus.Active,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(Cancel);
            db.Ledger.Add(new LedgerEntry
            {
                AccountId = account.Id,
                Kind = LedgerEntryKind.Charge,
                Principal = 120_000,
                Currency = currency,
                ValueDate = account.DueDate,
                PostedAt = Instant.FromUtc(2026, 2, 1, 9, 0),
                PostedBy = "test",
            });
            db.Ledger.Add(new LedgerEntry
            {
                AccountId = account.Id,
                Kind = LedgerEntryKind.Fee,
                Fees = 2_500,
                Currency = currency,
                ValueDate = new LocalDate(2026, 2, 1),
                PostedAt = Instant.FromUtc(2026, 2, 1, 9, 0),
                PostedBy = "test",
            });
            await db.SaveChangesAsync(Cancel);
            return account.Id;
        });
}
