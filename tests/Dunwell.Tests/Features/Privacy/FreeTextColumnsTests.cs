using System.Reflection;
using Dunwell.Data;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Features.Privacy;

/// <summary>Every stored string of Dunwell's own entities says whether it is free text, so a new one cannot slip past card masking.</summary>
public sealed class FreeTextColumnsTests
{
    [Fact]
    public void Every_string_property_of_every_entity_is_marked_free_text_or_not_free_text()
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>().UseSqlite("Data Source=:memory:").Options;
        using var db = new SqliteDunwellDb(options, CreditorScope.Unrestricted());

        var unmarked = new List<string>();
        var both = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties().Where(p => p.ClrType == typeof(string) && p.PropertyInfo is not null))
            {
                var info = property.PropertyInfo!;
                if (info.DeclaringType?.Assembly != typeof(DunwellDb).Assembly)
                {
                    continue; // ASP.NET Core Identity's and data protection's own columns
                }

                var free = info.GetCustomAttribute<FreeTextAttribute>() is not null;
                var not = info.GetCustomAttribute<NotFreeTextAttribute>() is not null;
                if (!free && !not)
                {
                    unmarked.Add($"{entity.ClrType.Name}.{info.Name}");
                }
                else if (free && not)
                {
                    both.Add($"{entity.ClrType.Name}.{info.Name}");
                }
            }
        }

        Assert.True(unmarked.Count == 0,
            $"Mark each with [FreeText] (card numbers in it are masked before saving) or [NotFreeText(\"why\")]: {string.Join(", ", unmarked)}");
        Assert.Empty(both);
    }

    [Fact]
    public void The_fields_people_write_in_are_free_text()
    {
        string[] expected =
        [
            "Interaction.Notes", "LedgerEntry.Reference", "LedgerEntry.Note", "Dispute.Note", "Debtor.Name", "Debtor.AddressLine1",
            "Debtor.AddressLine2", "Debtor.City", "Debtor.PostalCode", "DebtorContact.Value", "DebtorFlag.Note", "Account.OriginalCreditor",
            "Creditor.Name", "Creditor.PostalAddress", "Arrangement.DecisionNote", "WorkTask.Note", "AuditEvent.Detail",
        ];

        foreach (var name in expected)
        {
            var (type, property) = (name.Split('.')[0], name.Split('.')[1]);
            var clr = typeof(DunwellDb).Assembly.GetType($"Dunwell.Data.{type}", throwOnError: true)!;
            Assert.Contains(CardNumberMasking.Find(clr), p => p.Name == property);
        }
    }
}
