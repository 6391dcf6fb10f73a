using Dunwell.Data;

namespace Dunwell.Features.Messages.Letters;

/// <summary>The lines that go in the envelope window: name, street lines, town with region and postcode, country.</summary>
public static class LetterAddress
{
    /// <summary>Null when the debtor has no address a letter could reach.</summary>
    public static IReadOnlyList<string>? Lines(Debtor debtor)
    {
        ArgumentNullException.ThrowIfNull(debtor);
        if (string.IsNullOrWhiteSpace(debtor.AddressLine1) || (string.IsNullOrWhiteSpace(debtor.City) && string.IsNullOrWhiteSpace(debtor.PostalCode)))
        {
            return null;
        }

        var us = string.Equals(debtor.Country, "US", StringComparison.OrdinalIgnoreCase);
        var town = us
            ? Join(", ", debtor.City, Join(" ", debtor.Region, debtor.PostalCode)) // New York, NY 10002
            : Join(" ", debtor.City, debtor.Region);
        List<string?> lines = [debtor.Name, debtor.AddressLine1, debtor.AddressLine2, town];
        if (!us)
        {
            lines.Add(debtor.PostalCode);
            lines.Add(string.Equals(debtor.Country, "GB", StringComparison.OrdinalIgnoreCase) ? null : debtor.Country);
        }

        return [.. lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!.Trim())];
    }

    private static string? Join(string separator, params string?[] parts) =>
        parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()).ToList() is { Count: > 0 } present ? string.Join(separator, present) : null;
}
