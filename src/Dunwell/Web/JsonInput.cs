using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dunwell.Domain.Inputs;

namespace Dunwell.Web;

/// <summary>
/// How every JSON body is read: an unknown field (at any depth) or a field given twice is refused with its path; dates
/// and instants go through <see cref="Plausible"/>, so an instant without an offset or a date outside the window is a
/// problem naming the field on every endpoint alike.
/// </summary>
public static class JsonInput
{
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new DateConverter());
        options.Converters.Add(new InstantConverter());
    }

    /// <summary>A date as yyyy-MM-dd inside the plausible window.</summary>
    private sealed class DateConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (text is null)
            {
                throw new JsonException("Not a date; send a string like \"2026-03-31\".");
            }

            return Plausible.TryParseDate(text, out var date, out var error)
                ? date.ToDateOnly()
                : throw new JsonException($"'{Shown(text)}' {error}.");
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>An instant with Z or an offset, inside the plausible window; written as before.</summary>
    private sealed class InstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (text is null)
            {
                throw new JsonException("Not an instant; send a string like \"2026-03-02T09:30:00Z\".");
            }

            return Plausible.TryParseInstant(text, out var value, out var error)
                ? value.ToDateTimeOffset()
                : throw new JsonException($"'{Shown(text)}' {error}.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }

    /// <summary>A value quoted back in a message: short, and without control characters.</summary>
    internal static string Shown(string text)
    {
        var cut = text.Length > 40 ? text[..40] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c));
    }
}
