using System.Collections.Concurrent;
using System.Reflection;
using Dunwell.Domain.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Dunwell.Data;

/// <summary>
/// A stored string a person or a file can put anything in (notes, names, addresses, references): card numbers in it are
/// masked before it is saved (<see cref="CardNumberMasking"/>). Every string property of an entity says either this or
/// <see cref="NotFreeTextAttribute"/>; a test keeps it so.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FreeTextAttribute : Attribute
{
    /// <summary>
    /// Set on a copy of another free-text field written with it (a payment reference's key copies the entry's reference):
    /// masked the same way, but not reported again, since the field it copies already is.
    /// </summary>
    public string? CopyOf { get; init; }
}

/// <summary>A stored string that is not free text (a code, a key, a hash, an actor), with why, so the choice is seen as made.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotFreeTextAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}

/// <summary>A free-text field in which a card number was masked: the entity and the property (camelCase, as the API names it).</summary>
public sealed record MaskedField(string Entity, string Field);

/// <summary>
/// Masks card numbers in every <see cref="FreeTextAttribute"/> property of every added or changed entity, just before
/// <see cref="DunwellDb"/> saves, so no path through EF Core can store one. The bulk import, which writes without EF
/// Core, masks its rows while parsing them (Features/Imports).
/// </summary>
internal static class CardNumberMasking
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> FreeTextProperties = new();

    public static void Apply(ChangeTracker changeTracker, List<MaskedField> masked)
    {
        foreach (var entry in changeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in FreeTextProperties.GetOrAdd(entry.Metadata.ClrType, Find))
            {
                var current = entry.Property(property.Name);
                if (current.CurrentValue is string text && CardNumbers.Mask(text) is var safe && !ReferenceEquals(safe, text))
                {
                    current.CurrentValue = safe;
                    if (property.GetCustomAttribute<FreeTextAttribute>()!.CopyOf is null)
                    {
                        masked.Add(new MaskedField(entry.Metadata.ClrType.Name, JsonName(property.Name)));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every field a notice may name ("ledgerEntry.note"): a page shows only these from its address, never whatever text
    /// a link put there.
    /// </summary>
    public static IReadOnlySet<string> NoticeFields { get; } = typeof(CardNumberMasking).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(CardNumberMasking).Namespace && t.IsClass)
        .SelectMany(t => Find(t).Select(p => $"{JsonName(t.Name)}.{JsonName(p.Name)}"))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The string properties of <paramref name="type"/> marked free text.</summary>
    public static PropertyInfo[] Find(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(string) && p.GetCustomAttribute<FreeTextAttribute>() is not null)];

    private static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];
}
