namespace Dunwell.Domain.Privacy;

/// <summary>
/// Payment card numbers in free text (DESIGN §7: never stored; masked to the last four digits). A card number is a
/// Luhn-valid number of 13–19 digits, written together or in groups of 3–8 digits separated by one kind of separator
/// (one space or one dash between groups): <c>4111111111111111</c>, <c>4111 1111 1111 1111</c>,
/// <c>3782-822463-10005</c>. A longer such number is searched for a card number made of whole groups inside it (a
/// card number followed by its expiry year). Masking replaces every digit but the last four with <c>*</c> and keeps the separators, so
/// the text keeps its length and shape: <c>**** **** **** 1111</c>.
/// </summary>
/// <remarks>
/// What is deliberately not a card number, so ordinary text stays as written: a run that starts with <c>+</c> (an
/// international phone number), more than 19 digits written together (a long reference), groups of one or two digits
/// (dates such as 2026-01-31), mixed separators (<c>212-555-0100 212-555-0199</c>, two phone numbers), and anything
/// separated by other characters (amounts with dots and commas), and digits inside a GUID (<c>8-4-4-4-12</c> hexadecimal
/// groups) or a hexadecimal token of 32 characters or more (a hash): identifiers software made, never how a person
/// writes a card number. A Luhn-valid run that is something else (about one in
/// ten 13–19 digit numbers is) is masked all the same: a lost digit is cheaper than a stored card.
/// </remarks>
public static partial class CardNumbers
{
    public const int MinDigits = 13;
    public const int MaxDigits = 19;

    /// <summary>Why a value was changed, in words for the API answer, the page and the import report.</summary>
    public const string Reason =
        "It contained a payment card number, masked to its last four digits: Dunwell never stores card numbers.";

    /// <summary>The text with every card number masked; the same instance when it has none.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Masking one number can leave its last four digits next to more digits; run again until nothing changes, so
        // masking twice is masking once.
        var current = text;
        while (true)
        {
            var next = MaskOnce(current);
            if (ReferenceEquals(next, current))
            {
                return current;
            }

            current = next;
        }
    }

    /// <summary>Null stays null.</summary>
    public static string? MaskOrNull(string? text) => text is null ? null : Mask(text);

    public static bool Contains(string? text) => text is not null && !ReferenceEquals(Mask(text), text);

    /// <summary>The Luhn check over the digits of <paramref name="digits"/> (other characters are skipped).</summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                continue;
            }

            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    private static string MaskOnce(string text)
    {
        // Most text has no run of 13 digits at all: find out cheaply before doing any work.
        if (!MayHoldOne(text))
        {
            return text;
        }

        char[]? masked = null;
        Span<Group> groups = stackalloc Group[64];
        var guids = MachineMade().Matches(text);
        var nextGuid = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            while (nextGuid < guids.Count && guids[nextGuid].Index + guids[nextGuid].Length <= i)
            {
                nextGuid++;
            }

            if (nextGuid < guids.Count && guids[nextGuid].Index <= i)
            {
                i = guids[nextGuid].Index + guids[nextGuid].Length; // an identifier, not a number anyone wrote
                continue;
            }

            // A run: digit groups joined by exactly one space or dash.
            var count = 0;
            var start = i;
            while (true)
            {
                var groupStart = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (count == groups.Length)
                {
                    var bigger = new Group[groups.Length * 2];
                    groups.CopyTo(bigger);
                    groups = bigger;
                }

                groups[count++] = new Group(groupStart, i - groupStart);

                // The run ends where an identifier begins: its digits are not part of anything a person wrote.
                if (i + 1 < text.Length && text[i] is ' ' or '-' && char.IsAsciiDigit(text[i + 1])
                    && !(nextGuid < guids.Count && guids[nextGuid].Index == i + 1))
                {
                    i++;
                    continue;
                }

                break;
            }

            if (start > 0 && text[start - 1] == '+')
            {
                continue; // +44 7911 123456…: an international phone number
            }

            MaskRun(text, groups[..count], ref masked);
        }

        return masked is null ? text : new string(masked);
    }

    /// <summary>
    /// Splits a run into numbers as written (one group, or groups of 3–8 digits joined by one kind of separator) and
    /// masks the card numbers in each: from the first group on, the longest Luhn-valid span of whole groups with 13–19
    /// digits, so a card number followed by its expiry year (4111 1111 1111 1111 2029) or preceded by an order number is
    /// found as well.
    /// </summary>
    private static void MaskRun(string text, ReadOnlySpan<Group> groups, ref char[]? masked)
    {
        var first = 0;
        while (first < groups.Length)
        {
            var last = first;
            while (last + 1 < groups.Length && Groupable(groups[first]) && Groupable(groups[last + 1])
                && (last == first || Separator(text, groups[last + 1]) == Separator(text, groups[first + 1])))
            {
                last++;
            }

            var number = groups[first..(last + 1)];
            if (Digits(number) >= MinDigits)
            {
                MaskWithin(text, number, ref masked);
            }

            first = last + 1;
        }
    }

    private static void MaskWithin(string text, ReadOnlySpan<Group> groups, ref char[]? masked)
    {
        var a = 0;
        while (a < groups.Length)
        {
            var found = -1;
            for (var b = a; b < groups.Length; b++)
            {
                var digits = Digits(groups[a..(b + 1)]);
                if (digits > MaxDigits)
                {
                    break;
                }

                if (digits >= MinDigits && IsLuhnValid(Span(text, groups[a..(b + 1)])))
                {
                    found = b;
                }
            }

            if (found < 0)
            {
                a++;
                continue;
            }

            MaskAllButLastFour(text, groups[a..(found + 1)], ref masked);
            a = found + 1;
        }
    }

    private static void MaskAllButLastFour(string text, ReadOnlySpan<Group> number, ref char[]? masked)
    {
        masked ??= text.ToCharArray();
        var keep = 4;
        for (var p = number[^1].End - 1; p >= number[0].Start; p--)
        {
            if (!char.IsAsciiDigit(text[p]))
            {
                continue;
            }

            if (keep > 0)
            {
                keep--;
            }
            else
            {
                masked[p] = '*';
            }
        }
    }

    private static int Digits(ReadOnlySpan<Group> groups)
    {
        var digits = 0;
        foreach (var group in groups)
        {
            digits += group.Length;
        }

        return digits;
    }

    private static ReadOnlySpan<char> Span(string text, ReadOnlySpan<Group> groups) =>
        text.AsSpan(groups[0].Start, groups[^1].End - groups[0].Start);

    private static char Separator(string text, Group group) => text[group.Start - 1];

    private static bool Groupable(Group group) => group.Length is >= 3 and <= 8;

    private static bool MayHoldOne(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (++digits >= MinDigits)
                {
                    return true;
                }
            }
            else if (c is not (' ' or '-'))
            {
                digits = 0;
            }
        }

        return false;
    }

    private readonly record struct Group(int Start, int Length)
    {
        public int End => Start + Length;
    }

    /// <summary>A GUID, or a hexadecimal token of 32 characters or more (a hash), standing alone.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(
        "(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32,})(?![0-9A-Za-z])")]
    private static partial System.Text.RegularExpressions.Regex MachineMade();
}
